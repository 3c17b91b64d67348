"""`make run` (tools/run.py): it refuses a port another program holds before touching anything."""
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_port_in_use_stops_make_run_before_it_migrates_or_seeds(tmp_path):
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        env = {**os.environ, "PORT": str(port), "COORDAPP_INSTANCE": str(tmp_path / "instance")}
        env.pop("DATABASE_URL", None)
        result = subprocess.run([sys.executable, "tools/run.py"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=60)
    assert result.returncode != 0
    assert f"Port {port} is in use by another program" in result.stderr
    assert not (tmp_path / "instance").exists()  # nothing migrated, nothing seeded
