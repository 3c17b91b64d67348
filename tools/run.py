"""`make run`: migrate, seed the demo on first run, then serve web + Celery worker + beat.

Everything runs on the embedded default (SQLite, filesystem broker, mail into
instance/mail/) unless the environment names real services. Ctrl-C stops all three.
"""
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
INSTANCE = Path(os.environ.get("COORDAPP_INSTANCE") or ROOT / "instance")
LOGINS = INSTANCE / "demo-logins.txt"


def flask(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, check=True, **kwargs)


def first_run_seed() -> None:
    """Seed the demo once and keep its logins (this machine only) to show on every start."""
    if LOGINS.exists():
        return
    result = flask("seed-demo", capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    LOGINS.write_text(result.stdout)
    LOGINS.chmod(0o600)


def wait_for(url: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.5)
    return False


def main() -> int:
    port = os.environ.get("PORT", "5000")
    INSTANCE.mkdir(exist_ok=True)
    flask("db", "upgrade")
    first_run_seed()
    celery = [str(BIN / "celery"), "-A", "coordapp.worker"]
    processes = [
        subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", port,
                          "--no-reload"], cwd=ROOT),
        subprocess.Popen([*celery, "worker", "--loglevel=INFO", "--pool=solo", "--without-heartbeat"], cwd=ROOT),
        subprocess.Popen([*celery, "beat", "--loglevel=INFO"], cwd=ROOT),
    ]
    url = f"http://127.0.0.1:{port}/"
    try:
        if wait_for(url + "healthz"):
            print("\n" + "=" * 64)
            print(f"CoordApp is running: {url}")
            print(LOGINS.read_text().strip() if LOGINS.exists() else "")
            print("Email is written to instance/mail/. Press Ctrl-C to stop web, worker and beat.")
            print("=" * 64 + "\n", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
