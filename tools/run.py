"""`make run`: migrate, seed the demo on first run, then serve web + Celery worker + beat.

Everything runs on the embedded default (SQLite, filesystem broker, mail into
instance/mail/) unless the environment names real services. Ctrl-C (or SIGTERM) stops
all three; a child that does not stop within 15 seconds is killed.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
INSTANCE = Path(os.environ.get("COORDAPP_INSTANCE") or ROOT / "instance")
LOGINS = INSTANCE / "demo-logins.txt"
SERVED_URL = INSTANCE / "base_url"  # read by coordapp.config: a sweep run by hand links to this port
RULE = "=" * 72


class Stop(Exception):
    """Raised by the signal handler: time to stop the children."""


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command in the project folder; exit with its message when it fails."""
    result = subprocess.run(command, cwd=ROOT, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stderr or "")
        sys.exit(f"`{' '.join(command)}` failed (exit {result.returncode}).")
    return result


def flask(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a flask command of the app."""
    return run([str(BIN / "flask"), "--app", "wsgi", *args], **kwargs)


def database_is_empty() -> bool:
    """Tell whether nobody can log in yet: that is a first run, and it gets the demo."""
    code = (
        "from coordapp import create_app\nfrom coordapp.auth.models import User\nfrom coordapp.extensions import db\n"
        "with create_app().app_context():\n    print(db.session.execute(db.select(User.id).limit(1)).first() is None)"
    )
    return run([sys.executable, "-c", code], capture_output=True).stdout.strip().endswith("True")


def first_run_seed() -> None:
    """Seed the demo into an empty database and keep its logins (this machine only) to show on every start."""
    if not database_is_empty():
        return
    print("First run: loading the Pilkada Kota Tangerang Selatan 2020 demo ...", flush=True)
    result = flask("seed-demo", capture_output=True)
    LOGINS.unlink(missing_ok=True)
    LOGINS.touch(mode=0o600)
    LOGINS.write_text(result.stdout)


def port_is_free(port: int) -> bool:
    """Tell whether the web server can listen on 127.0.0.1:port (another program may hold it)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server does
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for(url: str, processes: list[subprocess.Popen], seconds: float = 90) -> bool:
    """Wait until url answers 200, or a process dies, or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and all(p.poll() is None for p in processes):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.5)
    return False


def mail_destination() -> str:
    """Say where the app's email goes: the SMTP server the environment names, or the mail folder."""
    server = os.environ.get("MAIL_SERVER")
    if server:
        return f"Email is sent through {server}:{os.environ.get('MAIL_PORT', '25')}."
    return f"Email is written to {INSTANCE / 'mail'}/."


def banner(url: str) -> str:
    logins = (
        LOGINS.read_text().strip()
        if LOGINS.exists()
        else "(no demo logins kept: create a user with `flask --app wsgi create-user`)"
    )
    return "\n".join(
        [
            "",
            RULE,
            f"  CoordApp is running: {url}",
            "",
            logins,
            f"  (The demo logins of the first run are kept in {LOGINS}.)",
            "",
            f"  {mail_destination()} Press Ctrl-C to stop web, worker and beat.",
            RULE,
            "",
        ]
    )


def stop(processes: list[subprocess.Popen]) -> None:
    """Ask every child to stop, then kill the ones that do not."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _raise_stop(signum, frame) -> None:
    raise Stop()


def main() -> int:
    port = os.environ.get("PORT", "5000")
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    processes: list[subprocess.Popen] = []
    served_url = None
    try:
        if not port_is_free(int(port)):
            sys.exit(f"Port {port} is in use by another program; choose another one: PORT=5001 make run")
        INSTANCE.mkdir(exist_ok=True)
        if not os.environ.get("BASE_URL"):
            SERVED_URL.write_text(f"http://127.0.0.1:{port}\n")
            served_url = SERVED_URL.read_text()
        flask("db", "upgrade", capture_output=True)
        first_run_seed()
        celery = [str(BIN / "celery"), "-A", "coordapp.worker"]
        processes.append(
            subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", port, "--no-reload"],
                cwd=ROOT,
            )
        )
        processes.append(
            subprocess.Popen(
                [*celery, "worker", "--loglevel=INFO", "--pool=solo", "--without-gossip", "--without-mingle"], cwd=ROOT
            )
        )
        processes.append(subprocess.Popen([*celery, "beat", "--loglevel=INFO"], cwd=ROOT))
        mailin_port = os.environ.get("MAILIN_PORT", "8025")
        if port_is_free(int(mailin_port)):  # replies by email (mail-in); optional, so a busy port only skips it
            processes.append(
                subprocess.Popen(
                    [str(BIN / "flask"), "--app", "wsgi", "mail-in", "serve", "--port", mailin_port], cwd=ROOT
                )
            )
        else:
            print(f"Port {mailin_port} is in use: mail-in (replies by email) not started.", flush=True)
        url = f"http://127.0.0.1:{port}/"
        if wait_for(url + "healthz", processes):
            time.sleep(2)  # let worker and beat print their start-up banners first
            print(banner(url), flush=True)
        else:
            print(f"\nCoordApp did not answer on {url}healthz; see the messages above.", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("A CoordApp process stopped; stopping the others.", flush=True)
        return 1
    except Stop:
        print("\nStopping CoordApp ...", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave children behind
        stop(processes)
        if served_url and SERVED_URL.exists() and SERVED_URL.read_text() == served_url:
            SERVED_URL.unlink()  # this run's address; another run's stays


if __name__ == "__main__":
    sys.exit(main())
