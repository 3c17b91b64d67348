"""Who may call each commitments, attachments and RSVP route."""

import io

import pytest

from coordapp.commitments.services import CommitmentInput, make_commitment
from coordapp.extensions import db
from coordapp.files import services as files
from tests import factories
from tests.test_files_attachments import PNG

LOGIN = "login"

MATRIX = [
    ("GET", "/commitments/new/meeting/{meeting}", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("POST", "/commitments/new/meeting/{meeting}", "new", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("GET", "/commitments/new/issue/{issue}", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("GET", "/commitments/{commitment}", None, {None: LOGIN, "staff": 200, "manager": 200, "admin": 200}),
    ("POST", "/commitments/{commitment}/status", "status", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("POST", "/files/meeting/{meeting}", "file", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("GET", "/files/{attachment}/foto.png", None, {None: 403, "staff": 200, "manager": 200, "admin": 200}),
    ("POST", "/files/{attachment}/public", "public", {None: LOGIN, "staff": 302, "manager": 302, "admin": 302}),
    ("GET", "/reminders/rsvp/nothing-here", None, {None: 404, "staff": 404}),
    ("POST", "/reminders/rsvp/nothing-here", "rsvp", {None: 404, "staff": 404}),
    ("POST", "/reminders/r/nothing-here/commitments", "progress", {None: 404, "staff": 404}),
]
CASES = [(m, url, kind, role, expected) for m, url, kind, roles in MATRIX for role, expected in roles.items()]


@pytest.mark.parametrize(
    "method,url,kind,role,expected", CASES, ids=[f"{m} {u} {r or 'anonymous'}" for m, u, _, r, _ in CASES]
)
def test_access_matrix(client, auth, method, url, kind, role, expected):
    meeting = factories.make_meeting()
    issue = factories.make_issue(meeting.election)
    org = factories.make_organization()
    staff = factories.make_user("staff")
    commitment = make_commitment(
        meeting, CommitmentInput("Cek gudang", org.id, None, meeting.start_dt.date()), staff, meeting.start_dt
    )
    attachment = files.attach("meeting", meeting, "foto.png", PNG, staff, meeting.start_dt)
    db.session.commit()
    if role:
        auth.as_role(role)
    values = {"meeting": meeting.id, "issue": issue.id, "commitment": commitment.id, "attachment": attachment.id}
    data = {
        "new": {"text": "Kirim data", "organization_id": org.id, "due_date": "2020-10-10"},
        "status": {"status": "done", "note": "Selesai"},
        "file": {"file": (io.BytesIO(PNG), "foto2.png")},
        "public": {"is_public": "y"},
        "rsvp": {"answer": "yes"},
        "progress": {"commitment": commitment.id, "body": "x"},
        None: {},
    }[kind]
    response = client.open(url.format(**values), method=method, data=data)
    if expected == LOGIN:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        db.session.expire_all()
        assert commitment.status == "open" and not attachment.is_public
    else:
        assert response.status_code == expected, response.data[:300]


def test_the_matrix_covers_every_new_route(app):
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("commitments.", "files."))
        or rule.endpoint in ("reminders.rsvp_page", "reminders.rsvp_answer", "reminders.report_commitment")
    }
    assert routes == {
        "/commitments/new/<parent_type>/<int:parent_id>",
        "/commitments/<int:commitment_id>",
        "/commitments/<int:commitment_id>/status",
        "/files/<parent_type>/<int:parent_id>",
        "/files/<int:attachment_id>/<path:filename>",
        "/files/<int:attachment_id>/public",
        "/reminders/rsvp/<token>",
        "/reminders/r/<token>/commitments",
    }
    assert len(MATRIX) >= len(routes)
