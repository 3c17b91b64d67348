"""Two-factor sign-in: enrolment with a local QR code, codes accepted once, recovery codes, admin reset."""

import re
import time

import pyotp
import pytest

from coordapp.audit.models import AuditEvent
from coordapp.auth.models import RecoveryCode, User
from coordapp.auth.security_log import SecurityEvent
from coordapp.extensions import db
from tests import factories
from tests.accounts_support import code_for, deliver
from tests.conftest import AuthActions


def _enrol(client) -> tuple[str, list[str]]:
    """Set up two-factor sign-in on the logged-in client's account; return the secret and recovery codes."""
    page = client.get("/auth/two-factor").get_data(as_text=True)
    secret = re.search(r"data-totp-secret>([A-Z2-7]+)<", page).group(1)
    done = client.post("/auth/two-factor", data={"code": code_for(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9A-F]{5}-[0-9A-F]{5})</code></li>", done.get_data(as_text=True))
    return secret, codes


def _events() -> list[str]:
    return db.session.execute(db.select(SecurityEvent.event).order_by(SecurityEvent.id)).scalars().all()


def test_enrolment_shows_a_local_qr_code_and_ten_recovery_codes_stored_hashed(app, client, auth):
    user = auth.as_role("staff")
    page = client.get("/auth/two-factor").get_data(as_text=True)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org", ""
    )  # the QR code is drawn here, not fetched
    wrong = client.post("/auth/two-factor", data={"code": "000000"})
    assert wrong.status_code == 422 and "Kode ini salah atau sudah pernah dipakai." in wrong.get_data(as_text=True)
    secret, codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.execute(db.select(RecoveryCode.code_hash)).scalars().all()
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)
    db.session.expire_all()
    assert db.session.get(User, user.id).has_two_factor
    assert "2fa_enabled" in _events()


def test_sign_in_asks_for_the_code_and_a_code_works_only_once(app, client, auth):
    user = auth.as_role("staff")
    secret, _ = _enrol(client)
    auth.logout()
    step_one = auth.login(user)
    assert step_one.status_code == 302 and step_one.headers["Location"] == "/auth/login/code"
    assert client.get("/").status_code == 302  # not signed in before the code
    code = code_for(secret, at=time.time() + 30)  # the enrolment used the current code: the app's next one
    assert client.post("/auth/login/code", data={"code": code}).status_code == 302
    assert client.get("/auth/account").status_code == 200
    # the same code again, in another browser, is refused (replay)
    other = app.test_client()
    AuthActions(other).login(user)
    replay = other.post("/auth/login/code", data={"code": code})
    assert replay.status_code == 422
    assert other.get("/auth/account").status_code == 302
    assert "2fa_failure" in _events()


def test_a_recovery_code_signs_in_once(app, client, auth):
    user = auth.as_role("staff")
    _, codes = _enrol(client)
    auth.logout()
    auth.login(user)
    used = client.post("/auth/login/code", data={"code": codes[0].lower()}, follow_redirects=True)
    assert "Anda memakai kode pemulihan; tersisa 9." in used.get_data(as_text=True)
    assert "recovery_code_used" in _events()
    second = app.test_client()
    AuthActions(second).login(user)
    assert second.post("/auth/login/code", data={"code": codes[0]}).status_code == 422
    assert second.post("/auth/login/code", data={"code": codes[1]}).status_code == 302


def test_the_code_step_needs_the_password_step_first(client):
    response = client.post("/auth/login/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"


def test_the_code_step_is_throttled_per_address(app, client, auth):
    user = auth.as_role("staff")
    _enrol(client)
    auth.logout()
    auth.login(user)
    statuses = [client.post("/auth/login/code", data={"code": "000000"}).status_code for _ in range(4)]
    assert statuses[:3] == [422, 422, 422] and statuses[3] == 429


def test_admins_must_set_up_two_factor_when_required(make_app):
    app = make_app(REQUIRE_2FA_FOR=("admin",))
    client = app.test_client()
    admin = factories.make_user("admin")
    staff = factories.make_user("staff")
    db.session.commit()
    AuthActions(client).login(admin)
    response = client.get("/auth/users")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/two-factor"
    _enrol(client)
    assert client.get("/auth/users").status_code == 200
    staff_client = app.test_client()
    AuthActions(staff_client).login(staff)
    assert staff_client.get("/").status_code == 200  # staff are not required to


def test_the_default_requires_two_factor_for_admins(tmp_path):
    from coordapp.config import build_config

    assert build_config(str(tmp_path))["REQUIRE_2FA_FOR"] == ("admin",)


def test_another_admin_resets_two_factor_with_an_audit_entry(app, client, auth):
    user = factories.make_user("manager")
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_dt = user.created_dt
    db.session.commit()
    admin = auth.as_role("admin")
    page = client.get(f"/auth/users/{user.id}/edit").get_data(as_text=True)
    assert "Atur ulang masuk dua langkah" in page
    assert client.post(f"/auth/users/{user.id}/two-factor/reset").status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, user.id).has_two_factor
    audit = (
        db.session.execute(
            db.select(AuditEvent).where(AuditEvent.entity_type == "users", AuditEvent.entity_id == user.id)
        )
        .scalars()
        .all()
    )
    assert any("totp_enabled_dt" in e.changes and e.actor_user_id == admin.id for e in audit)
    assert "totp_secret" not in str([e.changes for e in audit])
    event = db.session.execute(db.select(SecurityEvent).filter_by(event="2fa_reset")).scalar_one()
    assert event.user_id == user.id and admin.email in event.detail
    assert client.post(f"/auth/users/{admin.id}/two-factor/reset").status_code == 409  # not one's own


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_only_admins_reset_two_factor(client, auth, role):
    target = factories.make_user("staff")
    db.session.commit()
    auth.as_role(role)
    assert client.post(f"/auth/users/{target.id}/two-factor/reset").status_code == 403


def test_the_owner_is_told_by_email_when_two_factor_changes(smtp_app, smtp_server):
    client = smtp_app.test_client()
    user = AuthActions(client).as_role("staff", language="en")
    _enrol(client)
    admin_client = smtp_app.test_client()
    AuthActions(admin_client).as_role("admin")
    admin_client.post(f"/auth/users/{user.id}/two-factor/reset")
    deliver()
    notices = smtp_server.handler.to(user.email)
    assert [m.message["Subject"] for m in notices] == ["Two-factor sign-in on your CoordApp account changed"] * 2
    assert "Tell your administrator now." in notices[0].message.get_body(preferencelist=("plain",)).get_content()
