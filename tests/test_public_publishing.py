"""Publishing controls: staff propose public text, managers preview, publish and unpublish; all audited."""

import pytest

from coordapp.audit.models import AuditEvent
from coordapp.extensions import db
from coordapp.issues.models import Issue
from coordapp.meetings.models import Meeting
from coordapp.public import publishing
from tests import factories


@pytest.fixture
def issue(app):
    record = factories.make_issue(title="Judul internal", status="resolved")
    db.session.commit()
    return record


def _reload(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


def test_nothing_is_public_by_default(app):
    meeting, issue = factories.make_meeting(), factories.make_issue()
    db.session.commit()
    assert not meeting.is_public and not issue.is_public and meeting.published_dt is None


def test_a_manager_previews_then_publishes_and_the_audit_trail_says_who(client, auth, issue):
    manager = auth.as_role("manager", name="Ratna Manajer")
    page = client.get(f"/publishing/issues/{issue.id}").get_data(as_text=True)
    assert "Pratinjau" in page and "Judul internal" in page  # the internal title is named for staff only
    preview = client.post(
        f"/publishing/issues/{issue.id}",
        data={"public_title": "Judul untuk publik", "public_summary": "Ringkasan **publik**.", "action": "preview"},
    )
    assert preview.status_code == 200
    assert "Judul untuk publik" in preview.get_data(as_text=True) and "<strong>publik</strong>" in preview.get_data(
        as_text=True
    )
    assert (
        not _reload(Issue, issue.id).is_public and _reload(Issue, issue.id).public_title == ""
    )  # preview stores nothing
    response = client.post(
        f"/publishing/issues/{issue.id}",
        data={"public_title": "Judul untuk publik", "public_summary": "Ringkasan.", "action": "publish"},
    )
    assert response.status_code == 302
    published = _reload(Issue, issue.id)
    assert published.is_public and published.published_by_id == manager.id and published.published_dt is not None
    event = (
        db.session.execute(
            db.select(AuditEvent).filter_by(entity_type="issues", entity_id=issue.id).order_by(AuditEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert event.actor_user_id == manager.id and event.changes["is_public"] == [False, True]
    assert "Judul untuk publik" in client.get(f"/public/issues/{issue.id}").get_data(as_text=True)
    client.post(f"/publishing/issues/{issue.id}", data={"public_title": "x", "action": "unpublish"})
    assert not _reload(Issue, issue.id).is_public
    assert client.get(f"/public/issues/{issue.id}").status_code == 404


def test_staff_propose_but_may_not_publish(client, auth, issue):
    auth.as_role("staff")
    refused = client.post(f"/publishing/issues/{issue.id}", data={"public_title": "Judul", "action": "publish"})
    assert refused.status_code == 403 and not _reload(Issue, issue.id).is_public
    page = client.get(f"/publishing/issues/{issue.id}").get_data(as_text=True)
    assert 'value="publish"' not in page and 'value="propose"' in page
    client.post(f"/publishing/issues/{issue.id}", data={"public_title": "Judul usulan", "action": "propose"})
    proposed = _reload(Issue, issue.id)
    assert proposed.publish_proposed and proposed.public_title == "Judul usulan" and not proposed.is_public


def test_the_manager_sees_proposals(client, auth, issue):
    issue.public_title, issue.publish_proposed = "Judul usulan", True
    db.session.commit()
    auth.as_role("manager")
    assert "Judul usulan" in client.get("/publishing/").get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {"public_title": "", "action": "publish"},  # no public title: the internal one would leak
        {"public_title": "x" * 201, "action": "publish"},
        {"public_title": "Judul", "action": "delete-everything"},
        {"public_title": "Judul", "public_summary": "y" * 4001, "action": "save"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, auth, issue, data):
    auth.as_role("manager")
    response = client.post(f"/publishing/issues/{issue.id}", data=data)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True) or "flash-danger" in response.get_data(as_text=True)
    unchanged = _reload(Issue, issue.id)
    assert not unchanged.is_public and unchanged.public_title == ""


@pytest.mark.parametrize("url", ["/publishing/issues/999999", "/publishing/secrets/1", "/publishing/meetings/0"])
def test_unknown_records_are_not_found(client, auth, url):
    auth.as_role("manager")
    assert client.get(url).status_code == 404
    assert client.post(url, data={"public_title": "x", "action": "publish"}).status_code == 404


def test_an_archived_record_cannot_be_published(app):
    manager = factories.make_user("manager")
    meeting = factories.make_meeting(is_archived=True)
    with pytest.raises(publishing.PublishingError):
        publishing.publish(meeting, manager, "Judul", "")
    assert not meeting.is_public


def test_the_meeting_form_box_publishes_with_a_stamp(app):
    """Any path that makes a record public stamps when (the meeting form's box, the demo)."""
    meeting = factories.make_meeting()
    meeting.is_public = True
    db.session.commit()
    assert _reload(Meeting, meeting.id).published_dt is not None


def test_the_publishing_form_needs_its_csrf_token(csrf_app, issue):
    client = csrf_app.test_client()
    manager = factories.make_user("manager")
    db.session.commit()
    client.post("/auth/login", data={"email": manager.email, "password": factories.PASSWORD})
    response = client.post(f"/publishing/issues/{issue.id}", data={"public_title": "Judul", "action": "publish"})
    assert response.status_code == 400 and not _reload(Issue, issue.id).is_public


def test_the_issue_history_names_who_published(client, auth, issue):
    auth.as_role("manager", name="Ratna Manajer")
    client.post(f"/publishing/issues/{issue.id}", data={"public_title": "Judul publik baru", "action": "publish"})
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "Dipublikasikan oleh" in page and "Ratna Manajer" in page and "Judul publik baru" in page
    assert f'href="/publishing/issues/{issue.id}"' in page
