"""A crawl of every page as every role over hostile records (control characters, dates at the ends of time)."""

import pytest

from tests import hostile


@pytest.mark.parametrize("role", [None, "staff", "manager", "admin"])
def test_every_page_opens_for_every_role_over_hostile_records(app, client, auth, role):
    world = hostile.seed_world()
    if role:
        auth.login(world["users"][role])
    statuses, forms = hostile.crawl(client, hostile.start_pages(app) + world["links"])
    assert not hostile.server_errors(statuses)
