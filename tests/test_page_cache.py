"""The board's and the scorecard's content, rendered once per data version and shared by the managers.

A second manager opening the board gets the same content without its aggregate queries; any write
the page may show (through the app, as users make them) makes the next view render afresh; the
language, the day and the arguments each have their own copy; access is checked before the cache.
"""

from datetime import date

import pytest

from coordapp.extensions import db
from coordapp.issues.services import add_follow_up
from tests import factories
from tests.querycount import count_queries

BOARD, SCORECARD = "/dashboard/?election={e}", "/dashboard/scorecard?election={e}"


@pytest.fixture
def election(app):
    election = factories.make_election()
    election.first_issue = factories.make_issue(election, title="Logistik terlambat", status="open")
    db.session.commit()
    return election


def _main(response) -> str:
    """Return the page's <main> (the header around it holds the reader's own name and token)."""
    html = response.get_data(as_text=True)
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("page", [BOARD, SCORECARD])
def test_a_second_manager_gets_the_same_content_without_the_pages_queries(client, auth, election, page):
    url = page.format(e=election.id)
    other = factories.make_user("manager", email="manajer2@kpu.test")
    db.session.commit()  # before the first view: a new account is a write, and makes a new version
    auth.as_role("manager")
    with count_queries() as first_count:
        first = client.get(url)
    auth.logout()
    auth.login(other)
    with count_queries() as second_count:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert _main(second) == _main(first)
    # The first view ran the page's aggregates; the second only the user, the data version and the header.
    assert second_count.count <= 5 < first_count.count


@pytest.mark.parametrize("page", [BOARD, SCORECARD])
def test_a_new_issue_shows_on_the_next_view(client, auth, election, page):
    url = page.format(e=election.id)
    auth.as_role("manager")
    before = _main(client.get(url))
    factories.make_issue(election, title="Kendala baru", status="open")
    db.session.commit()
    after = _main(client.get(url))
    assert after != before


def test_a_status_change_through_the_app_shows_on_the_board_at_once(client, auth, election):
    auth.as_role("manager")
    url = BOARD.format(e=election.id)
    counted = "</span>Sedang ditangani <a"  # the stage's count of issues in progress, linked to their list
    assert counted not in _main(client.get(url))
    moved = client.post(f"/issues/{election.first_issue.id}/status", data={"status": "in_progress"})
    assert moved.status_code == 302
    assert counted in _main(client.get(url))


def test_a_first_response_moves_the_median_on_the_next_view(client, auth, election):
    manager = auth.as_role("manager")
    url = BOARD.format(e=election.id)
    before = _main(client.get(url))
    add_follow_up(election.first_issue, kind="comment", body="Sudah kami tindak lanjuti", author_user=manager)
    db.session.commit()
    assert _main(client.get(url)) != before


def test_each_language_has_its_own_copy(client, auth, election):
    manager = auth.as_role("manager")
    url = BOARD.format(e=election.id)
    indonesian = _main(client.get(url))
    manager.language = "en"
    db.session.commit()
    english = _main(client.get(url))
    assert "Papan Tahapan" in indonesian and "Stage board" not in indonesian
    assert "Stage board" in english and "Papan Tahapan" not in english
    manager.language = "id"
    db.session.commit()
    assert _main(client.get(url)) == indonesian


def test_a_new_day_renders_afresh(client, auth, election, monkeypatch):
    auth.as_role("manager")
    url = BOARD.format(e=election.id)
    monkeypatch.setattr("coordapp.dashboard.views.local_today", lambda tz=None, now=None: date(2026, 12, 8))
    monday = _main(client.get(url))
    monkeypatch.setattr("coordapp.dashboard.views.local_today", lambda tz=None, now=None: date(2026, 12, 9))
    tuesday = _main(client.get(url))
    assert monday != tuesday
    assert "9 Desember 2026" in tuesday and "9 Desember 2026" not in monday


def test_the_scorecard_period_has_its_own_copy_and_a_bad_one_is_answered_afresh(client, auth, election):
    auth.as_role("manager")
    whole = _main(client.get(SCORECARD.format(e=election.id)))
    period = client.get(SCORECARD.format(e=election.id) + "&start=2020-09-01&end=2020-09-30")
    assert period.status_code == 200 and _main(period) != whole
    bad = client.get(SCORECARD.format(e=election.id) + "&start=2020-09-30&end=2020-09-01")
    assert bad.status_code == 422
    again = client.get(SCORECARD.format(e=election.id) + "&start=2020-09-30&end=2020-09-01")
    assert again.status_code == 422 and _main(again) == _main(bad)


def test_access_is_checked_before_the_cached_content(client, auth, election):
    url = BOARD.format(e=election.id)
    auth.as_role("manager")
    assert client.get(url).status_code == 200
    auth.logout()
    auth.as_role("staff")
    assert client.get(url).status_code == 403
    auth.logout()
    assert client.get(url).status_code in (302, 401)


def test_the_cached_content_holds_no_readers_token_or_name(client, auth, election):
    manager = auth.as_role("manager", name="Rina Manajer")
    content = _main(client.get(BOARD.format(e=election.id)))
    assert "csrf_token" not in content and manager.name not in content


def test_the_lists_counts_are_counted_once_and_follow_every_write(client, auth, election):
    url = f"/issues/?election_id={election.id}&status=all"
    auth.as_role("staff")
    with count_queries() as first:
        first_page = client.get(url).get_data(as_text=True)
    with count_queries() as second:
        client.get(url)
    assert second.count == first.count - 3  # the facet counts, the organization and the owner choices: once
    assert 'id="issue-total">Ditemukan: 1<' in first_page
    factories.make_issue(election, title="Kendala baru", status="waiting")
    db.session.commit()
    with count_queries() as third:
        page = client.get(url).get_data(as_text=True)
    assert third.count == first.count  # a write: counted again
    assert 'id="issue-total">Ditemukan: 2<' in page
