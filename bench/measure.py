"""Time pages through the Flask test client and count their queries; measure export memory.

Each request runs in its own app context (as on a server), so nothing is cached between
requests in the session. Timings include rendering and reading the whole response body.
"""

import math
import statistics
import time
import tracemalloc
from contextlib import contextmanager

from sqlalchemy import event

from coordapp.extensions import db


class StatementCounter:
    """Count the statements the engine runs (PRAGMA and savepoints left out)."""

    def __init__(self):
        self.count = 0

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            self.count += 1


@contextmanager
def counting(app):
    """Yield a StatementCounter listening on the app's engine."""
    with app.app_context():
        engine = db.engine
    counter = StatementCounter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def host_reference(rounds: int = 5) -> float:
    """Return the median time in ms of a fixed pure-Python loop: how fast this host is right now.

    Shared virtual machines change speed from one minute to the next; figures of two runs
    compare only next to this number.
    """
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank percentile of values."""
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


def time_page(client, counter: StatementCounter, url: str, requests: int, warmup: int = 2, before=None) -> dict:
    """Request url warmup + requests times; return p50/p95 in ms and the queries of one request.

    before, when given, runs ahead of each request, untimed (e.g. emptying the page cache).
    """
    timings, cpu, queries = [], [], set()
    for i in range(warmup + requests):
        if before is not None:
            before()
        counter.count = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}: {body[:300]!r}")
        if i >= warmup:
            timings.append(elapsed)
            cpu.append((time.process_time() - started_cpu) * 1000)
            queries.add(counter.count)
    # cpu: this process only (the app, and SQLite, which runs inside it; not a PostgreSQL server).
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "queries": max(queries),
        "queries_varied": len(queries) > 1,
        "requests": requests,
        "bytes": len(body),
    }


def export_seconds(client, url: str) -> tuple[float, float]:
    """Stream one export untraced; return its wall and CPU seconds (tracemalloc would slow it down)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url, buffered=False)
    for _chunk in response.iter_encoded():
        pass
    response.close()
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return round(time.perf_counter() - started, 2), round(time.process_time() - started_cpu, 2)


def export_peak_memory(client, url: str) -> dict:
    """Stream one export and return the Python heap's peak while it ran, the bytes sent and its untraced time."""
    seconds, cpu_seconds = export_seconds(client, url)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        response = client.get(url, buffered=False)
        size = 0
        for chunk in response.iter_encoded():
            size += len(chunk)
        response.close()
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return {
        "peak_mib": round(peak / 2**20, 2),
        "bytes": size,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "traced_seconds": round(elapsed, 2),
    }
