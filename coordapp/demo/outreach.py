"""Demo data for meetings that reach the stakeholders: answered invitations, commitments kept and overdue,
and small generated attachments (a PDF attendance sheet, a PNG photo).

``seed_demo_meetings_outreach(election, today)`` adds what is missing and changes nothing on a second run.
"""

import struct
import zlib
from collections import Counter
from datetime import date, datetime, time, timedelta

from coordapp.auth.models import User
from coordapp.commitments.models import Commitment, CommitmentEvent
from coordapp.core.time import local_to_utc
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.files.models import Attachment
from coordapp.files.storage import store
from coordapp.meetings.models import Meeting, MeetingAttendee, MinutesRevision
from coordapp.reminders.models import ReminderDelivery
from coordapp.reminders.notifications import quiet
from coordapp.stakeholders.models import Contact, Organization

CATEGORIES = ("supervisory", "security", "candidate_team")
UPCOMING = (
    ("Rakor pengamanan debat publik pasangan calon", 3, "Aula KPU Kota Tangerang Selatan", ("yes", "yes", "no")),
    ("Rapat kesiapan gudang logistik (simulasi)", 8, "Gudang logistik KPU, Serpong", ("yes", None, None)),
)
PAST_TITLE = "Evaluasi rakor pengamanan kampanye"


def minimal_pdf(text: str) -> bytes:
    """Return a one-page PDF showing one line of text (ASCII)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def minimal_png(width: int = 32, height: int = 24, rgb: tuple[int, int, int] = (139, 26, 26)) -> bytes:
    """Return a small single-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _wib(day: date, hour: int, tz: str) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour)), tz)


def _contacts(limit: int = 3) -> list[Contact]:
    """Return one active contact from each of the first organisations of the coordination categories."""
    rows = db.session.execute(
        db.select(Contact)
        .join(Organization)
        .where(Organization.category.in_(CATEGORIES), Organization.is_active.is_(True), Contact.is_active.is_(True))
        .order_by(Organization.category.desc(), Organization.name, Contact.id)
    ).scalars()
    picked: dict[int, Contact] = {}
    for contact in rows:
        picked.setdefault(contact.organization_id, contact)
    return list(picked.values())[:limit]


def _attach(parent_type: str, parent_id: int, name: str, data: bytes, author, when: datetime, public=False) -> None:
    content_type = "application/pdf" if name.endswith(".pdf") else "image/png"
    db.session.add(
        Attachment(
            parent_type=parent_type,
            parent_id=parent_id,
            sha256=store().put(data),
            filename=name,
            content_type=content_type,
            size=len(data),
            is_public=public,
            uploaded_by=author,
            created_dt=when,
        )
    )


def _upcoming(election: Election, contacts: list[Contact], author: User, today: date, now: datetime, made: Counter):
    for title, days, place, answers in UPCOMING:
        if db.session.execute(db.select(Meeting.id).filter_by(election_id=election.id, title=title)).first():
            continue
        start = _wib(today + timedelta(days=days), 9, election.timezone)
        meeting = Meeting(
            election=election,
            stage=election.stage_on(today),
            title=title,
            kind="rakor",
            start_dt=start,
            end_dt=start + timedelta(hours=2),
            location=place,
            agenda="1. Pembagian tugas\n2. Jadwal dan rute\n3. Protokol kesehatan",
            created_by=author,
            created_dt=now - timedelta(days=2),
            organizations=[c.organization for c in contacts],
        )
        for contact, answer in zip(contacts, answers, strict=False):
            meeting.attendees.append(
                MeetingAttendee(
                    contact=contact, attended=False, rsvp=answer, rsvp_dt=now - timedelta(days=1) if answer else None
                )
            )
        meeting.attendees.append(MeetingAttendee(user=author, attended=False))
        db.session.add(meeting)
        db.session.flush()
        for contact in contacts:
            db.session.add(
                ReminderDelivery(
                    recipient_email=contact.email,
                    contact=contact,
                    meeting=meeting,
                    kind="invitation",
                    window_key=f"meeting-{meeting.id}-v0",
                    language=contact.language,
                    status="sent",
                    attempts=1,
                    subject=f"Undangan: {title}",
                    created_dt=now - timedelta(days=2),
                    sent_dt=now - timedelta(days=2),
                )
            )
        made["upcoming meetings"] += 1


def _past(election: Election, contacts: list[Contact], author: User, today: date, now: datetime, made: Counter):
    if db.session.execute(db.select(Meeting.id).filter_by(election_id=election.id, title=PAST_TITLE)).first():
        return
    day = today - timedelta(days=14)
    start = _wib(day, 9, election.timezone)
    meeting = Meeting(
        election=election,
        stage=election.stage_on(day),
        title=PAST_TITLE,
        kind="rakor",
        start_dt=start,
        end_dt=start + timedelta(hours=2),
        location="Aula KPU Kota Tangerang Selatan",
        agenda="Evaluasi pengamanan kampanye terbuka dan tindak lanjutnya.",
        is_public=True,
        created_by=author,
        created_dt=start - timedelta(days=4),
        organizations=[c.organization for c in contacts],
    )
    for contact in contacts:
        meeting.attendees.append(MeetingAttendee(contact=contact, attended=True, rsvp="yes"))
    meeting.attendees.append(MeetingAttendee(user=author, attended=True))
    meeting.minutes_revisions.append(
        MinutesRevision(
            author=author,
            body="Disepakati tiga tindak lanjut pengamanan; rinciannya dicatat sebagai komitmen.",
            created_dt=start + timedelta(hours=5),
            sent_dt=start + timedelta(hours=6),
        )
    )
    db.session.add(meeting)
    db.session.flush()
    items = (
        ("Menyerahkan jadwal patroli gabungan", -7, "done", -9),
        ("Mengirim daftar titik rawan ke KPU", -3, "open", None),
        ("Menyiapkan personel pengamanan gudang logistik", 2, "open", None),
    )
    for (text, due_in, status, done_in), contact in zip(items, contacts, strict=False):
        commitment = Commitment(
            election=election,
            stage=meeting.stage,
            meeting=meeting,
            text=text,
            organization=contact.organization,
            contact=contact,
            due_date=today + timedelta(days=due_in),
            status=status,
            done_dt=_wib(today + timedelta(days=done_in), 10, election.timezone) if done_in is not None else None,
            created_by=author,
            created_dt=start + timedelta(hours=5),
        )
        commitment.events.append(CommitmentEvent(kind="created", new_status="open", author_user=author))
        if status == "done":
            commitment.events.append(
                CommitmentEvent(kind="status", new_status="done", body="Jadwal diterima.", author_contact=contact)
            )
        db.session.add(commitment)
        made["commitments"] += 1
    db.session.flush()
    _attach("meeting", meeting.id, "daftar-hadir.pdf", minimal_pdf("Daftar hadir rakor"), author, start, public=True)
    _attach("meeting", meeting.id, "foto-rakor.png", minimal_png(), author, start)
    made["past meetings"] += 1
    made["attachments"] += 2


def seed_demo_meetings_outreach(election: Election, today: date, now: datetime) -> Counter:
    """Add upcoming meetings with answered invitations and a past one with commitments and attachments."""
    made: Counter = Counter()
    contacts = _contacts()
    author = db.session.execute(
        db.select(User).where(User.role.in_(("staff", "manager")), User.is_active.is_(True)).order_by(User.id)
    ).scalar()
    if len(contacts) < 3 or author is None:
        return made
    with quiet(db.session):
        _upcoming(election, contacts, author, today, now, made)
        _past(election, contacts, author, today, now, made)
        db.session.flush()
    return made
