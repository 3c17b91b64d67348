"""The concurrent load run of `make bench`: the real app under gunicorn on 127.0.0.1, a mixed crowd of readers.

Setup (stated in the results): gunicorn, ``WORKERS`` processes x ``THREADS`` threads (gthread), on
the benchmark database. The load generator runs in this process: ``concurrency`` threads, each
with its own keep-alive connection, pick pages from a fixed mix - staff (issue list page 1 and
an issue page), managers (board, scorecard) and the public (election and stage pages, no cookie) -
for ``seconds`` or ``max_requests`` per level, whichever comes first, so it always stops by itself.
A level reports requests per second, p50/p95/p99 and errors (any answer but 200, or no answer).
"""

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench.measure import percentile

WORKERS, THREADS = 2, 4
KEEP_ALIVE = 10  # seconds, as a reverse proxy in front of gunicorn would keep them
LEVELS = (1, 4, 16)
SECONDS, MAX_REQUESTS = 10.0, 5000
ROOT = Path(__file__).resolve().parent.parent
# (weight, who, page name): what a busy stage's morning looks like, roughly.
MIX = (
    (4, "staff", "issue_list_page1"),
    (3, "staff", "issue_page"),
    (2, "manager", "board"),
    (1, "manager", "scorecard"),
    (2, "public", "public_election"),
    (2, "public", "public_stage"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening")


def start_server(database_url: str, workers: int = WORKERS, threads: int = THREADS) -> tuple[subprocess.Popen, int]:
    """Start gunicorn serving the benchmark app; return the process and its port."""
    port = _free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            # Idle keep-alive connections are closed after KEEP_ALIVE seconds (gunicorn's default, 2, closes
            # a waiting reader's connection under load at concurrency 16: a reset, not an answer).
            "--keep-alive",
            str(KEEP_ALIVE),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.app:served_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_listening(port, process)
    return process, port


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def _login(port: int, email: str, password: str) -> str:
    """Sign in once and return the session cookie the readers of that role share."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urllib.parse.urlencode({"email": email, "password": password})
    conn.request("POST", "/auth/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    conn.close()
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    if response.status != 302 or not cookies:
        raise RuntimeError(f"load-run login as {email} failed ({response.status})")
    return "; ".join(cookies)


def _level(port: int, plan: list[tuple[str, str | None]], concurrency: int, seconds: float, max_requests: int) -> dict:
    """Run one level of concurrency; return its figures."""
    deadline = time.monotonic() + seconds
    timings, errors, lock, taken = [], [], threading.Lock(), [0]

    def reader(k: int) -> None:
        rng = random.Random(k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if taken[0] >= max_requests:
                    break
                taken[0] += 1
            path, cookie = rng.choice(plan)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                failure = None if ok else f"{path} -> {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                failure = f"{path} -> {type(exc).__name__}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append(elapsed)
                if failure:
                    errors.append(failure)
        conn.close()

    started = time.perf_counter()
    readers = [threading.Thread(target=reader, args=(k,), daemon=True) for k in range(concurrency)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "requests": len(timings),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(timings) / elapsed, 1),
        "p50_ms": round(percentile(timings, 50), 1) if timings else None,
        "p95_ms": round(percentile(timings, 95), 1) if timings else None,
        "p99_ms": round(percentile(timings, 99), 1) if timings else None,
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def run(
    database_url: str,
    pages: dict[str, str],
    accounts: dict[str, tuple[str, str]],
    *,
    levels=LEVELS,
    seconds: float = SECONDS,
    max_requests: int = MAX_REQUESTS,
    workers: int = WORKERS,
    threads: int = THREADS,
) -> dict:
    """Serve the app with gunicorn and run each level of concurrency against the mix; return the figures.

    pages maps the page names of MIX to paths; accounts maps "staff"/"manager" to (email, password).
    """
    process, port = start_server(database_url, workers, threads)
    try:
        cookies = {who: _login(port, *credentials) for who, credentials in accounts.items()}
        cookies["public"] = None
        plan = [(pages[name], cookies[who]) for weight, who, name in MIX for _ in range(weight)]
        return {
            "server": f"gunicorn {workers} workers x {threads} threads (gthread), keep-alive {KEEP_ALIVE} s, 127.0.0.1",
            "mix": {name: weight for weight, _, name in MIX},
            "levels": [_level(port, plan, c, seconds, max_requests) for c in levels],
        }
    finally:
        stop_server(process)


def print_table(load: dict) -> None:
    print(f"\nload run: {load['server']}; mix {load['mix']}")
    print(f"{'concurrency':>11} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for row in load["levels"]:
        print(
            f"{row['concurrency']:>11} {row['requests_per_second']:>8.1f} {row['p50_ms']:>8} "
            f"{row['p95_ms']:>8} {row['p99_ms']:>8} {row['errors']:>7}"
        )
