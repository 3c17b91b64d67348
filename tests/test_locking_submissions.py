"""A form sent twice saves once: the second submit of the same form is sent to what the first one saved."""

from datetime import timedelta

import pytest

from coordapp.auth.models import User
from coordapp.core import submissions
from coordapp.core.submissions import FormSubmission
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue
from coordapp.meetings.models import Meeting, MinutesRevision
from coordapp.stakeholders.models import Contact, Organization
from tests import factories
from tests.conftest import AuthActions
from tests.issues_support import issue_form_data, make_world
from tests.locking_support import hidden, run_together
from tests.meetings_support import form as meeting_form
from tests.test_stakeholders_views import CONTACT_FORM, ORG_FORM


def _count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def _token(client, url: str) -> str:
    return hidden(client.get(url).get_data(as_text=True), "submission_token")


# (form page, where it posts, what it sends, the model a submit adds a row to); world: make_world()
CREATE_FORMS = {
    "issue": lambda w: ("/issues/new", "/issues/new", issue_form_data(w, w.owner), Issue),
    "follow-up": lambda w: (
        f"/issues/{w.issue.id}",
        f"/issues/{w.issue.id}/follow-ups",
        {"kind": "comment", "body": "Sudah dikonfirmasi."},
        FollowUp,
    ),
    "meeting": lambda w: ("/meetings/new", "/meetings/new", meeting_form(w.election), Meeting),
    "minutes": lambda w: (
        f"/meetings/{w.meeting.id}/minutes",
        f"/meetings/{w.meeting.id}/minutes",
        {"body": "Notulen baru.", "base_revision": ""},
        MinutesRevision,
    ),
    "organization": lambda w: ("/stakeholders/new", "/stakeholders/new", ORG_FORM, Organization),
    "contact": lambda w: (
        f"/stakeholders/{w.bawaslu.id}/contacts/new",
        f"/stakeholders/{w.bawaslu.id}/contacts/new",
        CONTACT_FORM | {"organization_id": str(w.bawaslu.id)},
        Contact,
    ),
}


@pytest.mark.parametrize("kind", CREATE_FORMS)
def test_a_double_submit_creates_one_row(client, auth, kind):
    world = make_world()
    auth.login(world.owner)
    page, action, data, model = CREATE_FORMS[kind](world)
    before = _count(model)
    sent = data | {"submission_token": _token(client, page)}
    first = client.post(action, data=sent)
    assert first.status_code == 302
    second = client.post(action, data=sent)
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]  # what the first submit saved
    assert _count(model) == before + 1
    assert "tidak disimpan dua kali" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_a_double_submit_of_the_user_form_creates_one_user(client, auth):
    auth.as_role("admin")
    sent = {"email": "baru@kpu.example.org", "name": "Staf Baru", "role": "staff", "language": "id"}
    sent["submission_token"] = _token(client, "/auth/users/new")
    assert client.post("/auth/users/new", data=sent).status_code == 302
    assert client.post("/auth/users/new", data=sent).status_code == 303
    assert db.session.execute(db.select(db.func.count()).where(User.email == "baru@kpu.example.org")).scalar_one() == 1


def test_a_refused_form_keeps_its_token_for_the_corrected_submit(client, auth):
    world = make_world()
    auth.login(world.owner)
    token = _token(client, "/issues/new")
    refused = client.post(
        "/issues/new", data=issue_form_data(world, world.owner, title="") | {"submission_token": token}
    )
    assert refused.status_code == 422
    assert hidden(refused.get_data(as_text=True), "submission_token") == token
    assert (
        client.post("/issues/new", data=issue_form_data(world, world.owner) | {"submission_token": token}).status_code
        == 302
    )
    assert _count(Issue) == 2  # the world's issue and this one


def test_simultaneous_submits_of_one_form_create_one_issue(app, make_app):
    world = make_world()
    token = submissions.new_token()
    data = issue_form_data(world, world.owner) | {"submission_token": token}
    racing = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 0, "pool_timeout": 60})
    browsers = [racing.test_client() for _ in range(4)]
    for browser in browsers:
        assert AuthActions(browser).login(world.owner).status_code == 302

    def send(n: int, barrier) -> int:
        barrier.wait(timeout=60)
        return browsers[n].post("/issues/new", data=data).status_code

    statuses = run_together(4, send)
    with racing.app_context():
        db.engine.dispose()
    assert sorted(statuses) == [302, 303, 303, 303], statuses
    assert _count(Issue) == 2


def test_another_users_token_never_leads_to_their_record(client, auth):
    world = make_world()
    db.session.add(FormSubmission(token="t" * 32, user_id=world.manager.id, result_url="/issues/999"))
    db.session.commit()
    auth.login(world.owner)
    response = client.post("/issues/new", data=issue_form_data(world, world.owner) | {"submission_token": "t" * 32})
    assert response.status_code == 303 and "/issues/999" not in response.headers["Location"]
    assert _count(Issue) == 1


def test_a_form_without_a_token_still_saves(client, auth):
    world = make_world()
    auth.login(world.owner)
    assert client.post("/issues/new", data=issue_form_data(world, world.owner)).status_code == 302
    assert (
        client.post(
            "/issues/new", data=issue_form_data(world, world.owner) | {"submission_token": "<junk>"}
        ).status_code
        == 302
    )
    assert _count(Issue) == 3


def test_tokens_are_kept_a_day(app):
    user = factories.make_user()
    db.session.add(FormSubmission(token="a" * 32, user_id=user.id, created_dt=utcnow() - timedelta(days=2)))
    db.session.add(FormSubmission(token="b" * 32, user_id=user.id, created_dt=utcnow() - timedelta(hours=2)))
    db.session.flush()
    assert submissions.prune() == 1
    assert [s.token for s in db.session.execute(db.select(FormSubmission)).scalars()] == ["b" * 32]
