"""`make run` (tools/run.py): it serves the seeded demo, stops cleanly, and refuses a port another program holds."""

import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_port_in_use_stops_make_run_before_it_migrates_or_seeds(tmp_path):
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        env = {**os.environ, "PORT": str(port), "COORDAPP_INSTANCE": str(tmp_path / "instance")}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [sys.executable, "tools/run.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode != 0
    assert f"Port {port} is in use by another program" in result.stderr
    assert not (tmp_path / "instance").exists()  # nothing migrated, nothing seeded


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_run_serves_the_seeded_demo_and_stops_cleanly_on_sigterm(tmp_path):
    """What the README promises: the app on the embedded default, demo logins printed, all stopped on Ctrl-C/TERM."""
    instance, port = tmp_path / "instance", _free_port()
    env = {**os.environ, "PORT": str(port), "COORDAPP_INSTANCE": str(instance), "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "REDIS_URL", "MAIL_SERVER", "BASE_URL"):
        env.pop(name, None)
    lines: list[str] = []
    started = threading.Event()
    process = subprocess.Popen(
        [sys.executable, "tools/run.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def read() -> None:
        for line in process.stdout:
            lines.append(line)
            if "CoordApp is running" in line or "did not answer" in line:
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(180), "".join(lines[-40:])
        output = "".join(lines)
        assert f"CoordApp is running: http://127.0.0.1:{port}/" in output
        assert "manajer.demo@example.org" in output  # the demo logins, printed on the first run
        assert f"Email is written to {instance / 'mail'}/." in output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as health:
            assert health.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=10) as login:
            assert login.status == 200
            assert 'name="csrf_token"' in login.read().decode()
        assert (instance / "coordapp.db").exists()
        assert (instance / "base_url").read_text().strip() == f"http://127.0.0.1:{port}"  # for a sweep run by hand
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        reader.join(timeout=10)
    assert code == 0
    assert "Stopping CoordApp" in "".join(lines)
    assert not (instance / "base_url").exists()
    assert _processes_in_group(process.pid) == []  # web, worker and beat all stopped
    with socket.socket() as again:  # the web server is gone: its port can be bound again
        again.bind(("127.0.0.1", port))


def _processes_in_group(group: int) -> list[int]:
    """Return the live processes of a process group (tools/run.py's children stay in its group)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            found.append(int(stat.parent.name))
    return found
