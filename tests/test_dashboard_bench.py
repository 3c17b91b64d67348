"""`make bench` on a small scale: the data builder fills every table, and every measured page answers."""

from sqlalchemy import func

from bench import build, measure
from bench.__main__ import _urls
from bench.app import baseline
from coordapp.core.time import local_today
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.rollups import services as rollups

SMALL = build.Sizes(issues=400, organizations=30, contacts=60, meetings=80, follow_ups=1200, users=6, export_rows=120)


def test_the_builder_fills_every_table_and_the_pages_answer_with_fixed_queries(app, client):
    app.register_blueprint(baseline)
    build.build(SMALL, local_today())
    assert build.row_counts() == {
        "issues": 400,
        "organizations": 30,
        "contacts": 60,
        "meetings": 80,
        "follow_ups": 1200,
    }
    assert rollups.differences() == {}  # the bulk build counted its rows into the roll-ups (issue 17 item 8)
    live = db.session.scalar(db.select(func.count()).select_from(Issue).where(Issue.is_archived.is_(False)))
    assert 0 < live < 400 and sum(n for n, _, _ in rollups.stored().values()) == live  # archived ones count nowhere
    db.session.remove()
    login = client.post("/auth/login", data={"email": build.MANAGER_EMAIL, "password": build.PASSWORD})
    assert login.status_code == 302
    pages, exports = _urls(app, SMALL)
    with measure.counting(app) as counter:
        for name, url in pages.items():
            figures = measure.time_page(client, counter, url, requests=3, warmup=1)
            assert not figures["queries_varied"], name
    csv_10k = client.get(pages["csv_export_10k"]).get_data()
    assert csv_10k.count(b"\n") == 1 + SMALL.export_rows  # the campaign stage holds exactly export_rows issues
    memory = measure.export_peak_memory(client, exports["xlsx_10k"])
    assert memory["bytes"] > 0 and memory["peak_mib"] > 0
    assert rollups.differences() == {}


def test_the_public_pages_and_the_load_run_answer_on_a_small_scale(app):
    """`make bench` times the portal's election and stage pages and runs a short anonymous load."""
    from bench import public

    build.build(SMALL, local_today())
    db.session.remove()
    with measure.counting(app) as counter:
        figures = public.time_pages(app, counter, requests=3)
    assert set(figures) == {
        "public_election_cached",
        "public_election_uncached",
        "public_stage_cached",
        "public_stage_uncached",
    }
    assert figures["public_stage_cached"]["queries"] < figures["public_stage_uncached"]["queries"]
    load = public.load_run(app, seconds=2, max_requests=60, threads=3)
    assert load["errors"] == 0 and 0 < load["requests"] <= 60 and load["requests_per_second"] > 0


def test_the_gunicorn_load_run_serves_the_mix_at_each_level_without_errors(app):
    """`make bench` serves the app with gunicorn and runs staff, manager and public readers at each concurrency."""
    from bench import load, public

    app.register_blueprint(baseline)
    build.build(SMALL, local_today())
    db.session.remove()
    pages, _ = _urls(app, SMALL)
    figures = load.run(
        app.config["SQLALCHEMY_DATABASE_URI"],
        {**pages, **public.urls(app)},
        {"staff": (build.STAFF_EMAIL, build.PASSWORD), "manager": (build.MANAGER_EMAIL, build.PASSWORD)},
        levels=(1, 3),
        seconds=1.5,
        max_requests=40,
        workers=1,
        threads=2,
    )
    assert [row["concurrency"] for row in figures["levels"]] == [1, 3]
    for row in figures["levels"]:
        assert row["errors"] == 0, row["first_errors"]
        assert 0 < row["requests"] <= 40 and row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert figures["server"].startswith("gunicorn 1 workers x 2 threads")
