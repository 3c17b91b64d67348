"""Minutes with their revision history; Markdown rendered, raw HTML never on a page."""

from coordapp.extensions import db
from coordapp.meetings.models import MinutesRevision
from tests import factories
from tests.meetings_support import full_meeting

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)> [klik](javascript:alert(2)) **penting**'


def _revisions(meeting_id):
    db.session.expire_all()
    return (
        db.session.execute(
            db.select(MinutesRevision).where(MinutesRevision.meeting_id == meeting_id).order_by(MinutesRevision.id)
        )
        .scalars()
        .all()
    )


def test_saving_minutes_adds_a_revision_and_the_newest_is_the_minutes(client, auth):
    user = auth.as_role("staff", name="Dewi Notulis")
    meeting = factories.make_meeting()
    db.session.commit()
    client.post(f"/meetings/{meeting.id}/minutes", data={"body": "Draf pertama.", "base_revision": ""})
    first = _revisions(meeting.id)[-1]
    client.post(f"/meetings/{meeting.id}/minutes", data={"body": "Notulen final.", "base_revision": str(first.id)})
    revisions = _revisions(meeting.id)
    assert [r.body for r in revisions] == ["Draf pertama.", "Notulen final."]
    assert all(r.author_id == user.id and r.created_dt is not None for r in revisions)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Notulen final." in page and "Draf pertama." not in page
    assert f"/meetings/{meeting.id}/minutes/{first.id}" in page and "Dewi Notulis" in page


def test_an_older_revision_is_readable_on_its_own_page(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    older = meeting.minutes_revisions[-1]
    page = client.get(f"/meetings/{meeting.id}/minutes/{older.id}").get_data(as_text=True)
    assert "Draf notulen pertama." in page and "revisi 1 dari 2" in page
    assert "Ini revisi terdahulu" in page
    assert f"/meetings/{meeting.id}/minutes?from={older.id}" in page


def test_a_revision_of_another_meeting_is_not_found(client, auth):
    auth.as_role("staff")
    meeting, other = full_meeting(), full_meeting()
    assert client.get(f"/meetings/{meeting.id}/minutes/{other.minutes.id}").status_code == 404


def test_the_newest_revision_page_shows_what_changed(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    page = client.get(f"/meetings/{meeting.id}/minutes/{meeting.minutes.id}").get_data(as_text=True)
    assert 'class="added"' in page and "1.200 warga" in page
    assert 'class="removed"' in page


def test_unchanged_text_adds_no_revision(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    response = client.post(
        f"/meetings/{meeting.id}/minutes", data={"body": meeting.minutes.body, "base_revision": str(meeting.minutes.id)}
    )
    assert response.status_code == 302
    assert len(_revisions(meeting.id)) == 2


def test_a_stale_editor_does_not_overwrite_newer_minutes(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    stale_base = meeting.minutes_revisions[-1].id
    response = client.post(
        f"/meetings/{meeting.id}/minutes", data={"body": "Teks saya.", "base_revision": str(stale_base)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "menyimpan notulen saat Anda sedang menyunting" in page and "Teks saya." in page
    assert "1.200 warga belum punya e-KTP" in page  # the newest version, to compare
    assert len(_revisions(meeting.id)) == 2
    # Saving again after seeing the newest version is a deliberate choice and goes through.
    client.post(
        f"/meetings/{meeting.id}/minutes", data={"body": "Teks saya.", "base_revision": str(meeting.minutes.id)}
    )
    assert _revisions(meeting.id)[-1].body == "Teks saya."


def test_oversize_minutes_are_refused_and_kept(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting()
    db.session.commit()
    response = client.post(f"/meetings/{meeting.id}/minutes", data={"body": "a" * 100_001, "base_revision": ""})
    assert response.status_code == 422
    assert "Gunakan paling banyak 100000 karakter." in response.get_data(as_text=True)
    assert _revisions(meeting.id) == []


def test_raw_html_never_reaches_a_page(client, auth):
    auth.as_role("staff")
    meeting = factories.make_meeting(agenda=SCRIPT)
    db.session.commit()
    client.post(f"/meetings/{meeting.id}/minutes", data={"body": SCRIPT, "base_revision": ""})
    revision = _revisions(meeting.id)[-1]
    for url in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/minutes/{revision.id}"):
        main = client.get(url).get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
        assert "<script" not in main and "<img" not in main and 'href="javascript:' not in main
        assert "&lt;script&gt;" in main  # shown as text, harmless
        assert "<strong>penting</strong>" in main


def test_archived_meeting_minutes_cannot_be_changed(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    meeting.is_archived = True
    db.session.commit()
    response = client.post(
        f"/meetings/{meeting.id}/minutes", data={"body": "Baru", "base_revision": str(meeting.minutes.id)}
    )
    assert response.status_code == 302
    assert len(_revisions(meeting.id)) == 2


def test_an_earlier_text_can_be_taken_up_again(client, auth):
    auth.as_role("staff")
    meeting = full_meeting()
    older = meeting.minutes_revisions[-1]
    page = client.get(f"/meetings/{meeting.id}/minutes?from={older.id}").get_data(as_text=True)
    assert "Draf notulen pertama." in page and f'value="{meeting.minutes.id}"' in page
    client.post(f"/meetings/{meeting.id}/minutes", data={"body": older.body, "base_revision": str(meeting.minutes.id)})
    assert [r.body for r in _revisions(meeting.id)][-1] == "Draf notulen pertama."
