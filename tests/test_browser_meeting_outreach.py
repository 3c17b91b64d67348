"""Staff invite three stakeholders to a meeting; one answers from the email on a phone; staff see the answer,
record a commitment and attach the signed attendance sheet. Real SMTP (aiosmtpd), Debian's Chromium."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from coordapp.commitments.models import Commitment
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.files.models import Attachment
from coordapp.reminders import outbox
from coordapp.reminders.models import ReminderDelivery
from tests import factories
from tests.browser import PHONE, PageProblems, Screenshots, live_server, log_in, submit
from tests.test_files_attachments import PDF

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)
DESKTOP = {"width": 1280, "height": 900}


def _people() -> dict:
    election = factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    staff = factories.make_user("staff", name="Rina Staf")
    contacts = [
        factories.make_contact(
            factories.make_organization(name=name, short_name=short, category=category), name=person, email=email
        )
        for name, short, category, person, email in (
            ("Bawaslu Kota Tangerang Selatan", "Bawaslu", "supervisory", "Andi Pengawas", "andi@bawaslu.example.org"),
            ("Polres Tangerang Selatan", "Polres", "security", "Sari Polisi", "sari@polres.example.org"),
            ("Tim Pasangan Calon 1", "Paslon 1", "candidate_team", "Budi Penghubung", "budi@paslon1.example.org"),
        )
    ]
    db.session.commit()
    return {"election": election.id, "staff": staff.email, "contacts": [(c.id, c.email) for c in contacts]}


def _send_pending() -> list[int]:
    ids = list(db.session.execute(db.select(ReminderDelivery.id).filter_by(status="pending")).scalars())
    outbox.send_many(ids)
    return ids


def test_staff_invite_a_contact_answers_staff_record_a_commitment_and_a_file(make_app, smtp_server, chromium):
    app = make_app(WTF_CSRF_ENABLED=True, **smtp_server.mail_config())
    start = (utcnow().astimezone(ZoneInfo("Asia/Jakarta")) + timedelta(days=7)).replace(hour=9, minute=0)
    with live_server(app) as site:
        app.config["BASE_URL"] = site
        with app.app_context():
            world = _people()
            db.session.remove()
        shots = Screenshots("meetings")
        staff_context = chromium.new_context(
            locale="id-ID", timezone_id="Asia/Jakarta", viewport=DESKTOP, base_url=site
        )
        page = staff_context.new_page()
        problems = PageProblems(page)
        log_in(page, world["staff"])
        page.goto("/meetings/new")
        page.locator("#title").fill("Rakor pengamanan debat publik")
        page.locator("#start").fill(start.strftime("%Y-%m-%dT%H:%M"))
        page.locator("#end").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        page.locator("#location").fill("Aula KPU Kota Tangerang Selatan")
        page.locator("#agenda").fill("1. Pembagian tugas pengamanan\n2. Protokol kesehatan")
        page.locator("#contacts").select_option([str(cid) for cid, _ in world["contacts"]])
        expect(page.locator("#send_invitations")).to_be_checked()
        shots.take(page, "meeting-form")
        submit(page, page.locator("form button[type=submit]").last)
        expect(page.get_by_role("heading", level=1)).to_have_text("Rakor pengamanan debat publik")
        meeting_url = page.url

        with app.app_context():
            assert len(_send_pending()) == 3
            db.session.remove()
        assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(e for _, e in world["contacts"])
        for received in smtp_server.messages:
            part = next(p for p in received.message.walk() if p.get_content_type() == "text/calendar")
            (event,) = Calendar.from_ical(part.get_content()).walk("VEVENT")
            assert event.decoded("dtstart").astimezone(ZoneInfo("Asia/Jakarta")).hour == 9
        (invitation,) = smtp_server.handler.to("sari@polres.example.org")
        text = invitation.message.get_body(("plain",)).get_content()
        link = re.search(re.escape(site) + r"/reminders/rsvp/[A-Za-z0-9_-]+", text).group(0)

        phone = chromium.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport=PHONE)
        contact_page = phone.new_page()
        contact_problems = PageProblems(contact_page)
        contact_page.goto(link)
        expect(contact_page.get_by_role("heading", level=1)).to_have_text("Rakor pengamanan debat publik")
        assert contact_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots.take(contact_page, "rsvp-phone")
        contact_page.get_by_label("Ya, saya akan hadir").check()
        submit(contact_page, contact_page.get_by_role("button", name="Kirim jawaban"))
        expect(contact_page.locator(".flash-success")).to_have_text("Terima kasih. Jawaban Anda telah dicatat.")
        shots.take(contact_page, "rsvp-answered")
        phone.close()

        page.goto(meeting_url)
        expect(page.locator("[data-rsvp=yes]")).to_have_text("akan hadir")
        shots.take(page, "meeting-with-answer")

        page.get_by_role("link", name="Catat komitmen").click()
        page.locator("#text").fill("Polres menyiapkan 60 personel pengamanan debat")
        page.locator("#organization_id").select_option(label="Polres Tangerang Selatan")
        page.locator("#contact_id").select_option(label="Sari Polisi (Polres)")
        page.locator("#due_date").fill((start - timedelta(days=2)).strftime("%Y-%m-%d"))
        shots.take(page, "commitment-form")
        submit(page, page.get_by_role("button", name="Simpan komitmen"))
        expect(page.locator("#commitments")).to_contain_text("Polres menyiapkan 60 personel")

        page.locator("#file-meeting").set_input_files(
            {"name": "daftar-hadir.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        submit(page, page.locator("#attachments").get_by_role("button", name="Unggah"))
        expect(page.locator("#attachments")).to_contain_text("daftar-hadir.pdf")
        shots.take(page, "meeting-desktop")
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots.take(page, "meeting-phone")
        staff_context.close()
        assert problems.problems == [] and contact_problems.problems == []

    with app.app_context():
        (commitment,) = db.session.execute(db.select(Commitment)).scalars().all()
        assert commitment.contact.email == "sari@polres.example.org"
        (attachment,) = db.session.execute(db.select(Attachment)).scalars().all()
        assert attachment.content_type == "application/pdf"
        db.session.remove()
