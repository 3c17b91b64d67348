"""Invitations and password reset end to end through a real SMTP server: one-time, hashed, expiring links."""

from datetime import timedelta

from coordapp.auth.models import AccountToken, User
from coordapp.auth.security_log import SecurityEvent
from coordapp.auth.tasks import send_waiting_account_emails
from coordapp.auth.tokens import hash_token
from coordapp.celery_app import BEAT_SCHEDULE
from coordapp.extensions import db
from tests import factories
from tests.accounts_support import STRONG, STRONGER, deliver, link_in, text_of
from tests.conftest import AuthActions


def _invite(client, email="dewi@kpu.example.org", language="id"):
    admin = factories.make_user("admin")
    db.session.commit()
    assert AuthActions(client).login(admin).status_code == 302
    data = {"email": email, "name": "Dewi Lestari", "role": "staff", "language": language}
    assert client.post("/auth/users/new", data=data).status_code == 302
    return admin


def _user(email) -> User:
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


def test_an_invited_user_sets_a_password_from_the_email_and_signs_in(smtp_app, smtp_server):
    client = smtp_app.test_client()
    _invite(client)
    assert AuthActions(smtp_app.test_client()).login("dewi@kpu.example.org", password="").status_code == 422
    assert deliver() == 1
    (received,) = smtp_server.handler.to("dewi@kpu.example.org")
    assert received.message["Subject"] == "Anda diundang ke CoordApp"
    assert "berlaku sekali, selama 72 jam" in text_of(received)
    assert "Pemberitahuan privasi: https://coord.example.org/privacy" in text_of(received)
    path = link_in(received)
    token = path.rsplit("/", 1)[1]
    stored = db.session.execute(db.select(AccountToken)).scalar_one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash  # only the hash is kept
    newcomer = smtp_app.test_client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "Selamat datang di CoordApp" in page.get_data(as_text=True)
    weak = newcomer.post(path, data={"new_password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422 and "daftar kata sandi umum" in weak.get_data(as_text=True)
    done = newcomer.post(path, data={"new_password": STRONG, "confirm": STRONG})
    assert done.status_code == 302 and done.headers["Location"] == "/auth/login"
    assert AuthActions(newcomer).login("dewi@kpu.example.org", password=STRONG).status_code == 302
    # the link was used once: a second use is refused
    assert smtp_app.test_client().get(path).status_code == 404
    events = db.session.execute(db.select(SecurityEvent.event).order_by(SecurityEvent.id)).scalars().all()
    assert {"invitation_sent", "invitation_accepted", "login_success"} <= set(events)


def test_the_invitation_is_written_in_the_users_language(smtp_app, smtp_server):
    _invite(smtp_app.test_client(), language="en")
    deliver()
    (received,) = smtp_server.handler.to("dewi@kpu.example.org")
    assert received.message["Subject"] == "You are invited to CoordApp"
    assert "It works once, for 72 hours" in text_of(received)


def test_an_expired_or_tampered_link_is_refused_and_changes_nothing(smtp_app, smtp_server):
    _invite(smtp_app.test_client())
    deliver()
    path = link_in(smtp_server.messages[0])
    client = smtp_app.test_client()
    tampered = path[:-2] + ("aa" if not path.endswith("aa") else "bb")
    for bad in (tampered, "/auth/invite/x", "/auth/invite/" + "a" * 300):
        response = client.post(bad, data={"new_password": STRONG, "confirm": STRONG})
        assert response.status_code == 404
        assert "Tautan ini sudah tidak berlaku" in response.get_data(as_text=True)
    token = db.session.execute(db.select(AccountToken)).scalar_one()
    token.expires_dt = token.created_dt - timedelta(seconds=1)
    db.session.commit()
    assert client.post(path, data={"new_password": STRONG, "confirm": STRONG}).status_code == 404
    assert _user("dewi@kpu.example.org").password_hash == ""


def test_a_resent_invitation_replaces_the_old_link_and_a_revoked_one_dies(smtp_app, smtp_server):
    client = smtp_app.test_client()
    _invite(client)
    deliver()
    first = link_in(smtp_server.messages[0])
    user = _user("dewi@kpu.example.org")
    assert client.post(f"/auth/users/{user.id}/invitation").status_code == 302
    deliver()
    second = link_in(smtp_server.messages[1])
    assert first != second
    assert smtp_app.test_client().get(first).status_code == 404
    assert smtp_app.test_client().get(second).status_code == 200
    assert client.post(f"/auth/users/{user.id}/invitation/revoke").status_code == 302
    assert smtp_app.test_client().get(second).status_code == 404
    page = client.get("/auth/users").get_data(as_text=True)
    assert "Diundang, tautan kedaluwarsa atau dicabut" in page


def test_a_user_with_a_password_has_no_invitation_to_resend(smtp_app):
    client = smtp_app.test_client()
    _invite(client)
    staff = factories.make_user("staff")
    db.session.commit()
    response = client.post(f"/auth/users/{staff.id}/invitation")
    assert response.status_code == 409
    assert "Pengguna ini sudah memilih kata sandi." in response.get_data(as_text=True)


def test_forgot_password_answers_the_same_for_any_address(smtp_app, smtp_server):
    user = factories.make_user("staff", email="siti@kpu.example.org")
    db.session.commit()
    client = smtp_app.test_client()
    known = client.post("/auth/forgot", data={"email": "SITI@kpu.example.org"}, follow_redirects=True)
    unknown = client.post("/auth/forgot", data={"email": "nobody@kpu.example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    message = "Jika ada akun aktif dengan alamat ini, tautan untuk memilih kata sandi baru sedang dikirim."
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    deliver()
    assert [m.rcpt_tos for m in smtp_server.messages] == [[user.email]]


def test_a_reset_ends_every_session_works_once_and_tells_the_owner(smtp_app, smtp_server):
    user = factories.make_user("staff", email="siti@kpu.example.org")
    db.session.commit()
    laptop = smtp_app.test_client()
    assert AuthActions(laptop).login(user).status_code == 302
    smtp_app.test_client().post("/auth/forgot", data={"email": user.email})
    deliver()
    (reset_mail,) = smtp_server.messages
    assert reset_mail.message["Subject"] == "Atur ulang kata sandi CoordApp Anda"
    path = link_in(reset_mail)
    browser = smtp_app.test_client()
    assert browser.post(path, data={"new_password": STRONGER, "confirm": STRONGER}).status_code == 302
    assert laptop.get("/auth/account").status_code == 302  # the other session ended
    assert browser.post(path, data={"new_password": STRONG, "confirm": STRONG}).status_code == 404  # used once
    assert AuthActions(browser).login(user, password=STRONGER).status_code == 302
    deliver()
    notice = smtp_server.messages[-1]
    assert notice.message["Subject"] == "Kata sandi CoordApp Anda telah diubah"
    assert STRONGER not in text_of(notice)


def test_a_second_request_or_a_login_kills_the_previous_reset_link(smtp_app, smtp_server):
    user = factories.make_user("staff")
    db.session.commit()
    client = smtp_app.test_client()
    client.post("/auth/forgot", data={"email": user.email})
    deliver()
    client.post("/auth/forgot", data={"email": user.email})
    deliver()
    first, second = (link_in(m) for m in smtp_server.messages)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    assert AuthActions(smtp_app.test_client()).login(user).status_code == 302  # the owner remembered it
    assert client.get(second).status_code == 404


def test_reset_requests_are_rate_limited_per_address(smtp_app):
    client = smtp_app.test_client()
    for n in range(5):
        ip = {"REMOTE_ADDR": f"10.2.{n}.1"}
        assert client.post("/auth/forgot", data={"email": "x@kpu.example.org"}, environ_base=ip).status_code == 302
    blocked = client.post("/auth/forgot", data={"email": "x@kpu.example.org"}, environ_base={"REMOTE_ADDR": "10.3.0.1"})
    assert blocked.status_code == 429


def test_the_command_line_prints_a_one_time_reset_link(smtp_app, smtp_server):
    user = factories.make_user("admin", email="root@kpu.example.org")
    db.session.commit()
    result = smtp_app.test_cli_runner().invoke(args=["reset-password", "ROOT@kpu.example.org"])
    assert result.exit_code == 0, result.output
    path = "/" + result.output.strip().rsplit(" ", 1)[1].split("/", 3)[3]
    client = smtp_app.test_client()
    assert client.post(path, data={"new_password": STRONG, "confirm": STRONG}).status_code == 302
    assert AuthActions(client).login(user, password=STRONG).status_code == 302
    assert smtp_server.messages == [] or all("reset" not in m.message["Subject"] for m in smtp_server.messages)
    missing = smtp_app.test_cli_runner().invoke(args=["reset-password", "nobody@kpu.example.org"])
    assert missing.exit_code != 0 and "No active user" in missing.output


def test_the_beat_task_sends_emails_the_broker_never_delivered(smtp_app, smtp_server):
    _invite(smtp_app.test_client())
    assert smtp_server.messages == []
    send_waiting_account_emails.run()
    assert [m.rcpt_tos for m in smtp_server.messages] == [["dewi@kpu.example.org"]]
    send_waiting_account_emails.run()
    assert len(smtp_server.messages) == 1  # sent once
    assert BEAT_SCHEDULE["account-emails"]["task"] == "coordapp.auth.tasks.send_waiting_account_emails"
