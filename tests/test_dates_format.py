"""Dates and times: one format per language for each kind of value, four-digit years, through Babel."""

import re
from datetime import UTC, datetime

from flask_babel import force_locale

from coordapp.core.dates import datetime_pattern
from coordapp.templating import localdt
from tests.issues_support import make_world

WHEN = datetime(2026, 12, 2, 15, 8, tzinfo=UTC)  # 22.08 in Jakarta


def test_short_and_medium_give_one_format_with_a_four_digit_year(app):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert localdt(WHEN, "short") == localdt(WHEN, "medium") == localdt(WHEN) == "2 Des 2026 22.08"
    with app.test_request_context(), force_locale("en"):
        shown = localdt(WHEN, "short")
        assert shown == localdt(WHEN, "medium") and "2026" in shown and "Dec" in shown and ":08:" not in shown


def test_the_pattern_comes_from_the_locale(app):
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert datetime_pattern() == "d MMM y HH.mm"


def test_the_issue_page_shows_no_two_digit_year(client, auth):
    world = make_world()
    auth.login(world.owner)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert re.search(r"\b\d{2}/\d{2}/\d{2}\b", page) is None  # "07/12/26 22.46" is gone
    assert re.search(r"\d{1,2} \w{3} \d{4} \d{2}\.\d{2}\b", page)  # "7 Des 2026 22.46" (Tanggapan pertama, Dicatat)
