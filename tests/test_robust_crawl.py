"""A crawl of every page as every role over hostile records, before and after hostile posts to every form.

Hostile records: control characters (NUL on SQLite) in names, titles and minutes, meetings on the first
day of the year 1 and the last of 9999, due dates in 9999. Then every form a manager and an admin can
reach is posted three times with hostile values (control characters, huge numbers, extreme dates),
and every page is read again as every role. No answer may be a 500.
"""

import pytest

from tests import hostile

ROLES = [None, "staff", "manager", "admin"]


def _crawl_as(app, client, auth, world, role) -> dict:
    auth.logout()
    if role:
        auth.login(world["users"][role])
    return hostile.crawl(client, hostile.start_pages(app) + world["links"])


@pytest.mark.parametrize("role", ROLES)
def test_every_page_opens_for_every_role_over_hostile_records(app, client, auth, role):
    world = hostile.seed_world()
    statuses, _ = _crawl_as(app, client, auth, world, role)
    assert len(statuses) > (20 if role is None else 35)  # the crawl reached the pages, not just a login form
    assert not hostile.server_errors(statuses)


def test_no_page_breaks_after_hostile_posts_to_every_form(app, client, auth):
    world = hostile.seed_world()
    posted = {}
    for role in ("manager", "admin"):
        _, forms = _crawl_as(app, client, auth, world, role)
        by_action = {form.action.split("?")[0]: form for form in forms if form.method == "post"}
        posted |= hostile.post_hostile(client, list(by_action.values()))
    assert len(posted) > 60 and not hostile.server_errors(posted)
    for role in ROLES:
        statuses, _ = _crawl_as(app, client, auth, world, role)
        assert not hostile.server_errors(statuses), role
