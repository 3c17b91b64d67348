"""`make bench`: build (or reuse) a 100k-issue database, time the managers' and the list pages, write results.json.

    python -m bench [--scale 1.0] [--requests 20] [--rebuild] [--drop] [--no-memory] [--no-public]
                    [--no-load] [--load-seconds 10] [--only-public]

SQLite file bench/bench.db by default; PostgreSQL (schema `bench`) when DATABASE_URL is set.
The database is kept for the next run unless --drop is given. --only-public times the public portal's pages
and load run alone (no managers' pages, export memory or reminders). The per-request log lines
(logger ``coordapp.request``) are silenced while it runs, so the tables stay readable.
"""

import argparse
import importlib.util
import json
import logging
import os
import time
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import text

from bench import app as bench_app
from bench import build, load, measure, public
from coordapp.extensions import cache

RESULTS = Path(__file__).resolve().parent / "results.json"
# Issue 17's targets for p95 at 100k issues (scaled to a quiet host by host_reference_ms).
TARGET_MS = {"issue_page": 15}
LIST_TARGET_MS = 50  # the board, the scorecard and the issue lists
CACHED_PAGES = ("board", "scorecard")  # content cached per data version: timed from cache and uncached


def _arguments():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (1.0 = 100k issues)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (at least 20)")
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if it is there")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database afterwards")
    parser.add_argument("--no-memory", action="store_true", help="skip the export memory measurement")
    parser.add_argument("--no-reminders", action="store_true", help="skip the reminders sweep bench")
    parser.add_argument("--no-public", action="store_true", help="skip the public portal pages and load run")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load run at concurrency 1, 4, 16")
    parser.add_argument("--load-seconds", type=float, default=load.SECONDS, help="seconds per load-run level")
    parser.add_argument(
        "--only-public", action="store_true", help="time the public portal alone (no staff pages, memory, reminders)"
    )
    parser.add_argument("--output", default=str(RESULTS))
    return parser.parse_args()


def _sizes(scale: float) -> build.Sizes:
    full = build.Sizes()
    return build.Sizes(**{k: max(int(v * scale), 1) for k, v in asdict(full).items()} | {"users": full.users})


def _ensure_data(app, sizes: build.Sizes, rebuild: bool, url: str) -> float:
    """Build the data unless a database of these sizes is already there; return the build seconds."""
    from coordapp.core.time import local_today
    from coordapp.extensions import db
    from coordapp.rollups import services as rollups

    bench_app.prepare_database(url, fresh=rebuild)
    with app.app_context():
        db.create_all()
        wanted = {
            "issues": sizes.issues,
            "organizations": sizes.organizations,
            "contacts": sizes.contacts,
            "meetings": sizes.meetings,
            "follow_ups": sizes.follow_ups,
        }
        if build.row_counts() == wanted:
            print(f"reusing the benchmark data in {app.config['SQLALCHEMY_DATABASE_URI'].split('?')[0]}")
            _add_missing_indexes()
            rollups.rebuild()  # data built before the roll-ups existed has none
            db.session.commit()
            _count_days_if_missing()
            return 0.0
        if any(build.row_counts().values()):
            db.session.remove()
            db.engine.dispose()
            bench_app.prepare_database(url, fresh=True)
            db.create_all()
        started = time.perf_counter()
        build.build(sizes, local_today())
        _analyze()
        return time.perf_counter() - started


def _count_days_if_missing() -> None:
    """Count the charts' roll-ups of data built before the table existed (rollups.day_counts)."""
    from coordapp.elections.models import Election
    from coordapp.extensions import db
    from coordapp.rollups import day_counts

    with db.engine.begin() as conn:
        for election_id in conn.execute(db.select(Election.id)).scalars().all():
            if not day_counts.stored(election_id, conn):
                day_counts.write_recount(conn, election_id)


def _add_missing_indexes() -> None:
    """Create indexes the models gained since the data was built (create_all skips existing tables)."""
    from sqlalchemy.schema import CreateIndex

    from coordapp.extensions import db

    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))
    _analyze()


def _analyze() -> None:
    """Refresh the planner's statistics (and PostgreSQL's visibility map, for index-only scans)."""
    from coordapp.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))


def _urls(app, sizes: build.Sizes) -> tuple[dict[str, str], dict[str, str]]:
    """Return the pages to time and the exports to measure, on the benchmark data."""
    from flask import url_for
    from sqlalchemy import func, select

    from coordapp.elections.models import Election, Stage
    from coordapp.extensions import db
    from coordapp.issues.listing import encode_cursor
    from coordapp.issues.models import FollowUp, Issue

    with app.test_request_context():
        election = db.session.execute(select(Election)).scalar_one()
        campaign = db.session.execute(select(Stage).filter_by(election_id=election.id, code="kampanye")).scalar_one()
        deep = db.session.execute(
            select(Issue.created_dt, Issue.id)
            .where(Issue.is_archived.is_(False), Issue.election_id == election.id)
            .order_by(Issue.created_dt.desc(), Issue.id.desc())
            .offset(int(sizes.issues * 0.9))
            .limit(1)
        ).one()
        busiest = db.session.execute(
            select(FollowUp.issue_id).group_by(FollowUp.issue_id).order_by(func.count().desc()).limit(1)
        ).scalar_one()
        return {
            "baseline": url_for("bench.ping"),
            "board": url_for("dashboard.board", election=election.id),
            "scorecard": url_for("dashboard.scorecard", election=election.id),
            "issue_list_page1": url_for("issues.index", election_id=election.id),
            "issue_list_deep": url_for("issues.index", election_id=election.id, after=encode_cursor(*deep)),
            "issue_page": url_for("issues.detail", issue_id=busiest),
            "issue_list_stage": url_for("issues.index", election_id=election.id, stage=campaign.id),
            "csv_export_10k": url_for(
                "dashboard.export_issues", fmt="csv", election_id=election.id, stage=campaign.id, status="all"
            ),
        }, {
            "csv_10k": url_for(
                "dashboard.export_issues", fmt="csv", election_id=election.id, stage=campaign.id, status="all"
            ),
            "csv_100k": url_for("dashboard.export_issues", fmt="csv", election_id=election.id, status="all"),
            "xlsx_10k": url_for(
                "dashboard.export_issues", fmt="xlsx", election_id=election.id, stage=campaign.id, status="all"
            ),
            "xlsx_100k": url_for("dashboard.export_issues", fmt="xlsx", election_id=election.id, status="all"),
        }


def _timed(app, pages: dict):
    """Yield (name, url, before) for each page; the board and the scorecard twice.

    Their content is cached per data version (coordapp.core.page_cache): "board" is a manager
    opening it when nothing changed since another opened it; "board_uncached" the first view
    after a write (the cache emptied before each request).
    """

    def empty_cache():
        with app.app_context():
            cache.clear()

    for name, url in pages.items():
        yield name, url, None
        if name in CACHED_PAGES:
            yield f"{name}_uncached", url, empty_cache


def _reminder_figures(url: str, scale: float = 1.0):
    """Run the reminders bench (bench/reminders_bench.py) on its own database, next to ours.

    It builds its own 100k issues, so it gets bench/reminders.db or the schema bench_reminders; the
    Celery workers drain 3000 emails per worker count at scale 1 (at least 100 at a smaller scale).
    """
    if importlib.util.find_spec("bench.reminders_bench") is None:
        return None
    from bench import reminders_bench

    if url.startswith("postgresql"):
        own = bench_app.schema_url(os.environ["DATABASE_URL"], bench_app.REMINDERS_SCHEMA)
        bench_app.prepare_database(own, fresh=False, schema=bench_app.REMINDERS_SCHEMA)
    else:
        own = f"sqlite:///{bench_app.REMINDERS_SQLITE_FILE}"
    return reminders_bench.run(own, celery_emails=max(int(reminders_bench.CELERY_EMAILS * scale), 100))


def _print_table(results: dict) -> None:
    pages = results["pages"]
    print(
        f"\n{results['database']}, {results['issues']:,} issues, {results['requests']} requests per page; "
        f"host reference {results['host_reference_ms']} ms (a fixed Python loop: compare runs by it)"
    )
    print(f"{'page':<20} {'p50 ms':>9} {'p95 ms':>9} {'cpu p50':>9} {'queries':>8}")
    for name, row in pages.items():
        if "error" in row:
            print(f"{name:<20} ERROR {row['error'][:60]}")
            continue
        target = TARGET_MS.get(name, LIST_TARGET_MS if name.startswith(("board", "scorecard", "issue_list")) else None)
        flag = f"  > target {target} ms" if target is not None and row["p95_ms"] > target else ""
        timings = f"{row['p50_ms']:>9.1f} {row['p95_ms']:>9.1f} {row['cpu_p50_ms']:>9.1f}"
        print(f"{name:<20} {timings} {row['queries']:>8}{flag}")
    deep, first = pages.get("issue_list_deep"), pages.get("issue_list_page1")
    if deep and first and "error" not in deep and "error" not in first:
        print(f"deep page / page 1 (p95): {deep['p95_ms'] / first['p95_ms']:.2f}x")
    for name, row in (results.get("export_memory") or {}).items():
        sent = row["bytes"] / 2**20
        print(
            f"export {name:<10} peak {row['peak_mib']:>7.2f} MiB  {sent:>7.1f} MiB sent  "
            f"{row['seconds']:>6.1f} s (cpu {row['cpu_seconds']:.1f} s)"
        )
    if results.get("public_load") is not None:
        print("public load run:", json.dumps(results["public_load"]))
    if results.get("load") is not None:
        load.print_table(results["load"])
    if results.get("reminders") is not None:
        print("reminders:", json.dumps(results["reminders"], default=str))


def _checked(args):
    """Refuse contradicting arguments; --only-public implies no export memory and no reminders."""
    if args.requests < 20:
        raise SystemExit("--requests must be at least 20")
    if args.only_public and args.no_public:
        raise SystemExit("--only-public and --no-public exclude each other")
    if args.only_public:
        args.no_memory = args.no_reminders = args.no_load = True
    return args


def main() -> None:
    args = _checked(_arguments())
    logging.getLogger("coordapp.request").disabled = True  # one line per timed request would bury the tables
    url = bench_app.database_url()
    os.environ.setdefault("COORDAPP_INSTANCE", str(Path(__file__).resolve().parent.parent / "instance"))
    app = bench_app.make_app(url)
    sizes = _sizes(args.scale)
    built = _ensure_data(app, sizes, args.rebuild, url)
    if built:
        print(f"built in {built:.1f} s")
    client = app.test_client()
    login = client.post("/auth/login", data={"email": build.MANAGER_EMAIL, "password": build.PASSWORD})
    if login.status_code != 302:
        raise SystemExit(f"benchmark login failed ({login.status_code})")
    pages, exports = _urls(app, sizes)
    results = {
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "issues": sizes.issues,
        "requests": args.requests,
        "build_seconds": round(built, 1),
        "pages": {},
    }
    results["host_reference_ms"] = measure.host_reference()
    if args.only_public:
        pages = {"baseline": pages["baseline"]}  # what any page costs, to read the public figures against
    with measure.counting(app) as counter:
        for name, page_url, before in _timed(app, pages):
            try:
                results["pages"][name] = measure.time_page(client, counter, page_url, args.requests, before=before)
            except RuntimeError as exc:  # one broken page must not hide the others' figures
                results["pages"][name] = {"error": str(exc)[:200]}
            print(f"  {name}: {results['pages'][name]}")
    if not args.no_public:
        with measure.counting(app) as counter:
            results["pages"].update(public.time_pages(app, counter, args.requests))
        results["public_load"] = public.load_run(app)
    if not args.no_load:
        results["load"] = load.run(
            url,
            {**pages, **public.urls(app)},
            {"staff": (build.STAFF_EMAIL, build.PASSWORD), "manager": (build.MANAGER_EMAIL, build.PASSWORD)},
            seconds=args.load_seconds,
        )
    if not args.no_memory:
        results["export_memory"] = {name: measure.export_peak_memory(client, u) for name, u in exports.items()}
    if not args.no_reminders:
        results["reminders"] = _reminder_figures(url, args.scale)
    Path(args.output).write_text(json.dumps(results, indent=2, default=str) + "\n")
    _print_table(results)
    print(f"\nwritten to {args.output}")
    if args.drop:
        from coordapp.extensions import db

        with app.app_context():
            db.engine.dispose()
        bench_app.drop_database(url)
        print("benchmark database dropped")


if __name__ == "__main__":
    main()
