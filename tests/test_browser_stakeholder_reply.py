"""A stakeholder answers a reminder from the email, on a phone, without an account.

The sweep sends the digest through a real SMTP server (aiosmtpd); the test reads the link in
the message that arrived, opens it in Debian's Chromium at phone size, makes one mistake,
then replies. The owner of the issues sees the reply on the issue's timeline.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue
from coordapp.reminders import outbox, sweep
from coordapp.reminders.models import ReminderDelivery
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, live_server, submit

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
MONDAY_9 = datetime(2020, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
REPLY = "Izin lokasi sudah kami urus ke kecamatan; surat terbit besok."


def _overdue_issues_of_a_liaison_officer() -> dict:
    """Two overdue campaign issues a candidate team's liaison officer answers for; commit."""
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    owner = factories.make_user("staff", name="Rina Staf")
    team = factories.make_organization(name="Tim Pasangan Calon 1", short_name="Paslon 1", category="candidate_team")
    lo = factories.make_contact(team, name="Budi Penghubung", email="lo.paslon1@example.org", language="id")
    titles = ["Izin lokasi kampanye di Pamulang belum terbit", "Alat peraga kampanye menutup rambu lalu lintas"]
    issues = [
        factories.make_issue(election, title=title, due_date=date(2020, 10, 1), owner=owner, status="waiting")
        for title in titles
    ]
    for issue in issues:
        issue.contacts.append(lo)
    db.session.commit()
    return {"lo": lo.id, "lo_email": lo.email, "issues": [i.id for i in issues], "titles": titles}


def test_a_liaison_officer_answers_the_reminder_on_a_phone(make_app, smtp_server, chromium):  # noqa: F811
    app = make_app(WTF_CSRF_ENABLED=True, **smtp_server.mail_config())
    with live_server(app) as site:
        app.config["BASE_URL"] = site  # the address in the email is the one the browser reaches
        with app.app_context():
            world = _overdue_issues_of_a_liaison_officer()
            sweep.run_sweep(MONDAY_9, send=outbox.send_many)
            db.session.remove()
        (received,) = smtp_server.handler.to(world["lo_email"])
        text = received.message.get_body(preferencelist=("plain",)).get_content()
        link = re.search(re.escape(site) + r"/reminders/r/[A-Za-z0-9_-]+", text).group(0)

        shots = Screenshots("stakeholder-reply")
        context = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE)
        page = context.new_page()
        problems = PageProblems(page)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Tanggapan kepada penyelenggara pemilihan")
        for title in world["titles"]:  # one empty answer box per issue of the email, nothing ticked
            expect(page.get_by_role("group", name=title).get_by_label("Jawaban Anda", exact=True)).to_have_value("")
        expect(page.locator("input[type=checkbox]:checked")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots.take(page, "reply-form")

        submit(page, page.get_by_role("button", name="Kirim tanggapan", exact=True), expected_status=422)
        summary = page.locator(".error-summary")
        expect(summary.locator(".error-summary-title")).to_have_text("Perbaiki isian yang ditandai.")
        expect(summary.get_by_role("listitem")).to_have_text(["Tulis jawaban untuk sekurang-kurangnya satu kendala."])
        expect(summary).to_be_focused()
        shots.take(page, "reply-error")
        page.set_viewport_size({"width": 1280, "height": 900})
        shots.take(page, "reply-error-wide")
        page.set_viewport_size(PHONE)

        # The reply is about the first issue only: the second box stays empty.
        first_issue = page.get_by_role("group", name=world["titles"][0])
        first_issue.get_by_label("Jawaban Anda", exact=True).fill(REPLY)
        first_issue.get_by_label("Sudah kami tindak lanjuti").check()
        submit(page, page.get_by_role("button", name="Kirim tanggapan", exact=True))
        expect(page.locator(".flash-success")).to_have_text(
            "Terima kasih. Tanggapan Anda sudah dicatat dan petugas penanggung jawab sudah diberi tahu."
        )
        shots.take(page, "reply-sent")
        context.close()
        assert [p for p in problems.problems if "status of 422" not in p] == []  # Chromium logs the refused form

    with app.app_context():
        replies = db.session.execute(db.select(FollowUp).filter_by(kind="stakeholder_reply")).scalars().all()
        assert [(r.issue_id, r.author_contact_id, r.body, r.action_done_dt is not None) for r in replies] == [
            (world["issues"][0], world["lo"], REPLY, True)
        ]
        first, second = (db.session.get(Issue, issue_id) for issue_id in world["issues"])
        assert (first.status, second.status) == ("waiting", "waiting")  # "followed up" is a claim the owner checks
        notice = db.session.execute(db.select(ReminderDelivery).filter_by(kind="reply_notice")).scalar_one()
        assert notice.recipient_email == first.owner.email and [i.id for i in notice.issues] == [first.id]
        db.session.remove()
