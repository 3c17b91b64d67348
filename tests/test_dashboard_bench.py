"""`make bench` on a small scale: the data builder fills every table, and every measured page answers."""

from bench import build, measure
from bench.__main__ import _urls
from bench.app import baseline
from coordapp.core.time import local_today
from coordapp.extensions import db

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
