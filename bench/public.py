"""The public portal under `make bench`: the election and stage pages from cache and uncached, and a
bounded concurrent anonymous load run against a real HTTP server on 127.0.0.1.

Targets (100k issues): p95 under 50 ms from cache, under 150 ms uncached; the load run
reports requests per second and must end with 0 errors. It stops by itself after
``LOAD_SECONDS`` or ``LOAD_REQUESTS``, whichever comes first.
"""

import statistics
import threading
import time
import urllib.error
import urllib.request

from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from bench.measure import percentile

CACHED_TARGET_MS, UNCACHED_TARGET_MS = 50, 150
LOAD_SECONDS, LOAD_REQUESTS, LOAD_THREADS = 10, 2000, 8


class _Quiet(WSGIRequestHandler):
    def log_request(self, code="-", size="-") -> None:
        pass


def urls(app) -> dict[str, str]:
    """Return the public pages to time: the election page and its campaign stage."""
    from flask import url_for

    from coordapp.elections.models import Election
    from coordapp.extensions import db

    with app.test_request_context():
        election = db.session.execute(select(Election)).scalars().first()
        return {
            "public_election": url_for("public.election", slug=election.slug),
            "public_stage": url_for("public.stage", slug=election.slug, code="kampanye"),
        }


def _time(app, client, counter, url: str, requests: int, uncached: bool) -> dict:
    from coordapp.public import cache

    timings, cpu, queries = [], [], set()
    for i in range(requests + 2):
        if uncached:
            with app.app_context():
                cache.bump_version()  # what a publication does: every cached page is outdated
        counter.count = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}: {body[:200]!r}")
        if i >= 2:
            timings.append(elapsed)
            cpu.append((time.process_time() - started_cpu) * 1000)
            queries.add(counter.count)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "queries": max(queries),
        "bytes": len(body),
    }


def time_pages(app, counter, requests: int) -> dict:
    """Time each public page from cache and uncached (anonymous, no cookie)."""
    client = app.test_client()
    results = {}
    for name, url in urls(app).items():
        results[f"{name}_cached"] = _time(app, client, counter, url, requests, uncached=False)
        results[f"{name}_uncached"] = _time(app, client, counter, url, requests, uncached=True)
    return results


def load_run(
    app, seconds: float = LOAD_SECONDS, max_requests: int = LOAD_REQUESTS, threads: int = LOAD_THREADS
) -> dict:
    """Serve the app on 127.0.0.1 and let `threads` anonymous readers fetch the public pages; count what happens."""
    paths = list(urls(app).values()) + ["/public/", "/robots.txt"]
    done, errors, lock = [0], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def reader(base: str, offset: int) -> None:
        n = offset
        while time.monotonic() < deadline:
            with lock:
                if done[0] >= max_requests:
                    return
                done[0] += 1
            try:
                with urllib.request.urlopen(base + paths[n % len(paths)], timeout=10) as response:
                    response.read()
            except (urllib.error.URLError, OSError) as exc:
                with lock:
                    errors.append(str(exc)[:100])
            n += 1

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{server.server_port}"
    started = time.perf_counter()
    workers = [threading.Thread(target=reader, args=(base, k), daemon=True) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - started
    server.shutdown()
    server.server_close()
    return {
        "threads": threads,
        "requests": done[0],
        "seconds": round(elapsed, 1),
        "requests_per_second": round(done[0] / elapsed, 1),
        "errors": len(errors),
        "first_errors": errors[:3],
    }
