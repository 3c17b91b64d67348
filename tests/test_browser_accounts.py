"""The new staff member's first day in a real browser: the invitation email (real SMTP), a password of
their own, two-factor sign-in set up with the QR code's key, then a sign-in with a code.

Debian's Chromium through Playwright, on the real app (CSRF on) served from a live server; the
screenshots (1280 and 390 px wide) are kept under test-output/browser/accounts/.
"""

import time

import pyotp
import pytest
from playwright.sync_api import expect

from coordapp.auth import lifecycle, mail
from coordapp.extensions import db
from tests.accounts_support import STRONG, link_in
from tests.browser import PHONE, PageProblems, Screenshots, live_server, submit

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)

EMAIL = "nina.staf@kpu.example.org"


@pytest.fixture
def mail_site(make_app, smtp_server):
    """The real app with CSRF on and mail to the test SMTP server, on a live server."""
    app = make_app(WTF_CSRF_ENABLED=True, BASE_URL="https://coord.example.org", **smtp_server.mail_config())
    with live_server(app) as url:
        yield app, url


def test_from_the_invitation_email_to_a_sign_in_with_two_factor(chromium, mail_site, smtp_server):
    app, url = mail_site
    with app.app_context():
        lifecycle.invite(EMAIL, "Nina Staf", "staff")
        db.session.commit()
        assert mail.send_pending() == 1
    (invitation,) = smtp_server.handler.to(EMAIL)
    context = chromium.new_context(
        base_url=url, locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    problems = PageProblems(page)
    shots = Screenshots("accounts")

    page.goto(link_in(invitation))
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang di CoordApp: pilih kata sandi Anda")
    page.get_by_label("Kata sandi", exact=True).fill(STRONG)
    expect(page.locator("[data-strength-for]")).to_contain_text("Tampak kuat")
    page.get_by_label("Ulangi kata sandi").fill(STRONG)
    shots.take(page, "set-password")
    page.set_viewport_size(PHONE)
    shots.take(page, "set-password-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    submit(page, page.get_by_role("button", name="Simpan kata sandi"))
    expect(page.locator(".flash")).to_contain_text("Kata sandi Anda sudah disimpan.")
    shots.take(page, "login")

    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Kata sandi", exact=True).fill(STRONG)
    submit(page, page.get_by_role("button", name="Masuk", exact=True))
    page.goto("/auth/account")
    shots.take(page, "account")
    page.get_by_role("link", name="Aktifkan masuk dua langkah").click()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("[data-totp-secret]").inner_text().strip()
    shots.take(page, "two-factor-setup")
    page.set_viewport_size(PHONE)
    shots.take(page, "two-factor-setup-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Kode").fill(pyotp.TOTP(secret).now())
    submit(page, page.get_by_role("button", name="Aktifkan"))
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    shots.take(page, "recovery-codes")

    submit(page, page.get_by_role("button", name="Keluar"))
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Kata sandi", exact=True).fill(STRONG)
    submit(page, page.get_by_role("button", name="Masuk", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kode masuk")
    shots.take(page, "sign-in-code")
    page.get_by_label("Kode").fill(pyotp.TOTP(secret).at(time.time() + 30))  # the app's next code
    submit(page, page.get_by_role("button", name="Masuk", exact=True))
    expect(page.get_by_role("navigation", name="Menu utama")).to_contain_text("Rapat")
    shots.take(page, "signed-in")
    context.close()
    assert not problems.problems, problems.problems
