"""The app starts and serves its first page."""

import os
import subprocess
import sys
from pathlib import Path


def test_login_page_answers_in_indonesian(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b"Masuk" in response.data or b"Log in" in response.data


def test_the_served_app_keeps_its_startup_objects_out_of_full_collections(tmp_path):
    """gunicorn imports wsgi:app; what it loaded is frozen, so full GC passes do not walk it per request."""
    env = {**os.environ, "COORDAPP_INSTANCE": str(tmp_path)}
    probe = "import gc, wsgi; print(wsgi.app.name, gc.get_freeze_count() > 10000)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["coordapp", "True"]
