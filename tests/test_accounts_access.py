"""Who may call each account route: the pages before sign-in are public, the rest need a login or an admin."""

import pytest

from coordapp.extensions import db
from tests import factories

# (method, path, expected for anonymous, staff, manager, admin); "login" means sent to the login page.
ROUTES = [
    ("GET", "/auth/forgot", (200, 200, 200, 200)),
    ("GET", "/privacy", (200, 200, 200, 200)),
    ("GET", "/auth/login/code", ("login", "login", "login", "login")),  # no password step: back to the login page
    ("GET", "/auth/reset/not-a-token", (404, 404, 404, 404)),
    ("GET", "/auth/invite/not-a-token", (404, 404, 404, 404)),
    ("GET", "/auth/two-factor", ("login", 200, 200, 200)),
    ("POST", "/auth/two-factor/recovery-codes", ("login", 302, 302, 302)),
    ("POST", "/auth/users/{invited}/invitation", ("login", 403, 403, 302)),
    ("POST", "/auth/users/{invited}/invitation/revoke", ("login", 403, 403, 302)),
    ("POST", "/auth/users/{invited}/two-factor/reset", ("login", 403, 403, 302)),
    ("GET", "/audit/security", ("login", 403, 403, 200)),
    ("GET", "/audit/security.csv", ("login", 403, 403, 200)),
]
ROLES = (None, "staff", "manager", "admin")


@pytest.mark.parametrize("role_index", range(4), ids=[r or "anonymous" for r in ROLES])
@pytest.mark.parametrize(("method", "template", "expected"), ROUTES, ids=[f"{m} {t}" for m, t, _ in ROUTES])
def test_each_account_route_answers_each_role(client, auth, method, template, expected, role_index):
    invited = factories.make_user("staff", password_hash="")
    db.session.commit()
    role = ROLES[role_index]
    if role:
        auth.as_role(role)
    response = client.open(template.format(invited=invited.id), method=method)
    want = expected[role_index]
    if want == "login":
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == want
