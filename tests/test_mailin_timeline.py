"""A reply by email on the timeline: its files (staff only), refused files, a foreign sender; audited decisions."""

from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP

import pytest

from coordapp.audit.models import AuditEvent
from coordapp.core.time import utcnow
from coordapp.extensions import db
from coordapp.files.models import Attachment
from coordapp.issues.models import FollowUp
from coordapp.mailin.models import InboundMessage
from coordapp.reminders.replies import find_reply_token
from tests import factories
from tests.querycount import count_queries
from tests.test_files_attachments import HTML, PDF, PNG
from tests.test_mailin_intake import DOMAIN, deliver, fixture, linked

REPORT = "laporan-panwascam.pdf"


@pytest.fixture
def mailin_app(app):
    app.config["MAIL_REPLY_DOMAIN"] = DOMAIN
    return app


def reply_with(token: str, files: list[tuple[str, bytes, str]], key: str = "att-1", sender: str = "") -> bytes:
    """A reply as a mail client writes it: text above the quote, then the files attached."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender or "Budi Santoso <budi@bawaslu-tangsel.example>"
    message["To"] = f"reply+{token}@{DOMAIN}"
    message["Subject"] = "Re: Pengingat"
    message["Message-ID"] = f"<{key}@mail.example>"
    message.set_content("Laporan terlampir.\n\nPada Sen, 28 Sep 2020 KPU menulis:\n> Pengingat\n")
    for name, data, content_type in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def entries() -> list[FollowUp]:
    db.session.expire_all()
    return list(db.session.execute(db.select(FollowUp).filter_by(kind="stakeholder_reply")).scalars())


def files_of(entry: FollowUp) -> list[Attachment]:
    stmt = db.select(Attachment).filter_by(parent_type="reply", parent_id=entry.id)
    return list(db.session.execute(stmt).scalars())


def entry_html(client, entry: FollowUp) -> str:
    page = client.get(f"/issues/{entry.issue_id}").get_data(as_text=True)
    start = page.index(f'id="entry-{entry.id}"')
    ends = [page.find(mark, start + 1) for mark in ('id="entry-', "</ol>")]
    return page[start : min(end for end in ends if end > 0)]


def test_a_reply_s_pdf_is_kept_with_the_reply_on_each_issue_and_staff_download_it(mailin_app, client, auth):
    token, _, issues = linked(n=2)
    row = deliver(fixture("gmail_en_attachment.eml", token))
    assert row.status == "recorded"
    written = entries()
    assert sorted(e.issue_id for e in written) == sorted(i.id for i in issues)
    auth.as_role("staff", language="en")
    for entry in written:
        (kept,) = files_of(entry)
        assert (kept.filename, kept.content_type) == (REPORT, "application/pdf")
        html = entry_html(client, entry)
        assert REPORT in html and "Received by email" in html and "Sent from another address" not in html
        response = client.get(f"/files/{kept.id}/{REPORT}")
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")


def test_the_public_never_downloads_a_reply_s_file_even_on_a_published_issue(mailin_app, client, auth):
    token, _, (issue,) = linked(n=1)
    deliver(fixture("gmail_en_attachment.eml", token))
    (kept,) = files_of(entries()[0])
    issue.is_public = True
    db.session.commit()
    auth.as_role("staff")
    assert client.post(f"/files/{kept.id}/public", data={"is_public": "y"}).status_code == 302
    auth.logout()
    assert client.get(f"/files/{kept.id}/{REPORT}").status_code == 403


@pytest.mark.parametrize(
    ("name", "data", "content_type", "reason"),
    [
        (
            "laporan.pdf",
            HTML,
            "text/html",
            "Only PDF, PNG, JPEG, Word (.docx) and Excel (.xlsx) files can be attached.",
        ),
        ("foto.pdf", PNG, "image/png", "The file's name does not match its content."),
        ("besar.pdf", PDF + b"0" * 3000, "application/pdf", "The file is larger than 0 MB."),
        ("kosong.pdf", b"", "application/pdf", "The file is empty."),
    ],
)
def test_a_refused_attachment_is_noted_and_the_reply_still_lands(
    mailin_app, client, auth, name, data, content_type, reason
):
    mailin_app.config["FILES_MAX_BYTES"] = 2000
    token, _, (issue,) = linked(n=1)
    raw = reply_with(token, [(name, data, content_type), ("ok.pdf", PDF, "application/pdf")])
    assert deliver(raw).status == "recorded"
    (entry,) = entries()
    assert entry.body == "Laporan terlampir."
    assert [a.filename for a in files_of(entry)] == ["ok.pdf"]
    auth.as_role("staff", language="en")
    html = entry_html(client, entry)
    assert f"Attachment {name} was not kept: {reason}".replace("'", "&#39;") in html
    assert "ok.pdf" in html


def test_an_inline_signature_image_is_not_kept_as_a_file(mailin_app):
    token, _, _ = linked(n=1)
    message = EmailMessage(policy=SMTP)
    message["From"], message["To"] = "budi@bawaslu-tangsel.example", f"reply+{token}@{DOMAIN}"
    message["Subject"], message["Message-ID"] = "Re: Pengingat", "<sig@mail.example>"
    message.set_content("Siap.")
    message.add_alternative('<p>Siap.</p><img src="cid:logo@x">', subtype="html")
    message.get_payload()[1].add_related(PNG, "image", "png", cid="<logo@x>", filename="image001.png")
    assert deliver(message.as_bytes()).status == "recorded"
    assert files_of(entries()[0]) == []


def test_a_from_that_is_not_the_contact_is_flagged_on_the_entry_for_staff(mailin_app, client, auth):
    token, contact, (issue,) = linked(n=1, email="liaison@bawaslu.example")
    row = deliver(fixture("gmail_en.eml", token))
    assert row.status == "recorded" and row.is_sender_mismatch
    (entry,) = entries()
    assert entry.author_contact_id == contact.id  # the token says whose reply it is
    auth.as_role("staff", language="en")
    assert "Sent from another address: budi@bawaslu-tangsel.example" in entry_html(client, entry)
    auth.logout()
    auth.as_role("staff", language="id")
    assert "Dikirim dari alamat lain: budi@bawaslu-tangsel.example" in entry_html(client, entry)


def test_the_issue_page_does_not_grow_with_replies_by_email(mailin_app, client, auth):
    token, _, (issue,) = linked(n=1)
    auth.as_role("staff")
    counts = []
    for n in range(1, 7):
        deliver(reply_with(token, [("r.pdf", PDF, "application/pdf")], key=f"grow-{n}"))
        if n in (2, 6):
            client.get(f"/issues/{issue.id}")
            with count_queries() as q:
                assert client.get(f"/issues/{issue.id}").status_code == 200
            counts.append(q.count)
    assert counts[0] == counts[1]
    assert len(entries()) == 6


def held(key: str) -> InboundMessage:
    """A reply with a forged address, waiting in quarantine."""
    return deliver(fixture("gmail_en_attachment.eml", "F" * 43).replace(b"CAGmail-en-att", key.encode()))


def mail_events() -> list[AuditEvent]:
    stmt = db.select(AuditEvent).filter_by(entity_type="inbound_messages").order_by(AuditEvent.id)
    return list(db.session.execute(stmt).scalars())


def test_placing_and_discarding_held_messages_are_in_the_audit_trail(mailin_app, client, auth):
    first, second = held("held-1"), held("held-2")
    token, _, _ = linked(n=1)
    deliver(fixture("gmail_id.eml", token))  # a reply that lands, and an auto-reply: nobody decided anything
    deliver(fixture("autoreply_id.eml", token))
    assert first.status == second.status == "quarantined" and mail_events() == []
    issue = factories.make_issue(title="Distribusi logistik Serpong")
    db.session.commit()
    staff = auth.as_role("staff", name="Rina Staf")
    assert client.post(f"/mail-in/{first.id}/assign", data={"issue_id": issue.id}).status_code == 302
    assert client.post(f"/mail-in/{second.id}/discard").status_code == 302

    placed, dropped = mail_events()
    assert (placed.entity_id, placed.actor_user_id, placed.action) == (first.id, staff.id, "update")
    assert placed.changes == {"decision": ["", "assigned"], "assigned_issue_id": [None, issue.id]}
    assert (dropped.entity_id, dropped.actor_user_id, dropped.changes) == (
        second.id,
        staff.id,
        {"decision": ["", "discarded"]},
    )
    (comment,) = db.session.execute(db.select(FollowUp).filter_by(issue_id=issue.id, kind="comment")).scalars()
    assert [a.filename for a in files_of(comment)] == [REPORT]  # the held message's file comes along

    auth.logout()
    auth.as_role("admin", language="en")
    page = client.get("/audit/?entity_type=inbound_messages").get_data(as_text=True)
    assert "Received email" in page and "Attached to an issue" in page and "Discarded" in page
    assert "Distribusi logistik Serpong" in page and "Rina Staf" in page


def test_contacts_of_the_replying_organisation_download_its_file_through_their_link_and_no_one_else(mailin_app, client):
    token, budi, (issue,) = linked(n=1)
    colleague = factories.make_contact(budi.organization, name="Ani Rahma", email="ani@bawaslu-tangsel.example")
    outsider = factories.make_contact(name="Joko Polres", email="joko@polres.example")
    issue.contacts.extend([colleague, outsider])
    links = {c.id: factories.make_reply_token(c, [issue]) for c in (colleague, outsider)}
    db.session.commit()
    deliver(fixture("gmail_en_attachment.eml", token))
    (kept,) = files_of(entries()[0])
    url = f"/mail-in/r/{links[colleague.id]}/files/{kept.id}/{REPORT}"

    page = client.get(f"/reminders/r/{links[colleague.id]}").get_data(as_text=True)
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert (
        response.headers["Cache-Control"] == "private, no-store"
        and "attachment" in response.headers["Content-Disposition"]
    )

    assert REPORT not in client.get(f"/reminders/r/{links[outsider.id]}").get_data(as_text=True)
    assert client.get(f"/mail-in/r/{links[outsider.id]}/files/{kept.id}/{REPORT}").status_code == 404
    assert client.get(f"/mail-in/r/{'Z' * 43}/files/{kept.id}/{REPORT}").status_code == 404
    # a file staff uploaded on the issue is not a reply's file
    staff_file = Attachment(parent_type="issue", parent_id=issue.id, sha256=kept.sha256, filename="x.pdf")
    staff_file.content_type, staff_file.size = "application/pdf", kept.size
    db.session.add(staff_file)
    db.session.commit()
    assert client.get(f"/mail-in/r/{links[colleague.id]}/files/{staff_file.id}/x.pdf").status_code == 404
    reply_link = find_reply_token(links[colleague.id], utcnow())
    reply_link.expires_dt = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(url).status_code == 410
