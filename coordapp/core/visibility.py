"""Who may read what: one rule for every page, email, export and feed.

Every piece of text has one of three audiences:

- ``internal`` (the default): signed-in staff, managers and admins only;
- ``shared``: also the stakeholder contacts it was shared with (for a timeline entry, the
  contacts responsible for its issue);
- ``public``: anyone, on the portal and in open data.

A stakeholder's own words (an entry a contact wrote) are read by staff and by the contacts of
the same organisation, never by another organisation, whatever its level. Public output never
carries a person's name, email or phone.

Pages, emails and feeds ask this module; no template decides on its own. Render what the
reader may see (``visible_entries`` or ``entry_clause`` in the query), never filter afterwards.

Records (a meeting, an issue, a report) are public when a manager published them; what of
a published record the public reads is its *public projection* (``public_meeting``,
``public_issue``): a dict of the fields that may appear on the portal, in feeds and in open
data, and nothing else - its public title and summary, never the internal title, agenda,
description, minutes, location, link, owner or any person. Public pages render only these
dicts; ``public_meeting_clause`` and ``public_issue_clause`` select the published rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, or_, select, true

from coordapp.core.labels import label

INTERNAL = "internal"
SHARED = "shared"
PUBLIC = "public"
LEVELS = (INTERNAL, SHARED, PUBLIC)
# What staff may choose for a timeline entry they write; public text is written on its own
# (a record's public title and summary), not by sharing an internal entry.
ENTRY_LEVELS = (INTERNAL, SHARED)


@dataclass(frozen=True)
class Reader:
    """Who reads: signed-in staff, one stakeholder contact, or the public."""

    kind: str  # "staff" | "contact" | "public"
    contact_id: int | None = None
    organization_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    @property
    def is_contact(self) -> bool:
        return self.kind == "contact"


STAFF = Reader("staff")
PUBLIC_READER = Reader("public")


def contact_reader(contact) -> Reader:
    """Return the reader that a stakeholder contact is."""
    return Reader("contact", contact_id=contact.id, organization_id=contact.organization_id)


def level_of(entry) -> str:
    """Return an entry's audience level (anything unknown counts as internal)."""
    level = getattr(entry, "visibility", None)
    return level if level in LEVELS else INTERNAL


LEVEL_LABELS = {
    INTERNAL: _l("Internal"),
    SHARED: _l("Shared with the responsible contacts"),
    PUBLIC: _l("Public"),
}


def shared_readers(issue) -> list:
    """Return the contacts who read an entry shared on this issue: its responsible contacts."""
    return list(issue.contacts)


def audience_label(entry) -> str:
    """Return, for staff, who besides them reads an entry (a timeline badge)."""
    author = entry.author_contact
    if author is not None:
        return _("Staff and %(organization)s", organization=author.organization.label)
    return str(LEVEL_LABELS[level_of(entry)])


def can_read_entry(reader: Reader, entry, responsible_contact_ids: Iterable[int]) -> bool:
    """Tell whether reader may read a timeline entry of an issue with these responsible contacts."""
    if reader.is_staff:
        return True
    if reader.is_contact:
        if entry.author_contact_id is not None:  # a stakeholder's own words: their organisation only
            author = entry.author_contact
            return author is not None and author.organization_id == reader.organization_id
        return level_of(entry) in (SHARED, PUBLIC) and reader.contact_id in set(responsible_contact_ids)
    return level_of(entry) == PUBLIC and entry.author_contact_id is None


def visible_entries(reader: Reader, issue) -> list:
    """Return the entries of an issue's timeline that reader may read, oldest first."""
    responsible = [c.id for c in issue.contacts]
    return [e for e in issue.follow_ups if can_read_entry(reader, e, responsible)]


def entry_clause(reader: Reader, entries, responsible, contacts):
    """Return a SQL condition on timeline rows that holds for the entries reader may read.

    The same rule as ``can_read_entry``, for queries that load many issues' entries at once.
    ``entries`` is the FollowUp model, ``responsible`` the issue-contact table and ``contacts``
    the Contact model: core sits below the features that define them, so they are passed in.
    """
    if reader.is_staff:
        return true()
    if reader.is_contact:
        same_org = entries.author_contact_id.in_(
            select(contacts.id).where(contacts.organization_id == reader.organization_id)
        )
        is_responsible = entries.issue_id.in_(
            select(responsible.c.issue_id).where(responsible.c.contact_id == reader.contact_id)
        )
        shared = and_(entries.author_contact_id.is_(None), entries.visibility.in_((SHARED, PUBLIC)), is_responsible)
        return or_(same_org, shared)
    if reader.kind == "public":
        return and_(entries.author_contact_id.is_(None), entries.visibility == PUBLIC)
    return false()


def public_report(version) -> dict:
    """Return what the public may read of a published report version: no person, no internal note.

    The whole of a public report page, its PDF, feed entry, kit and open-data rows come from
    this projection. Who wrote, approved or published it (staff names) is left out; the
    figures are counts, and budget lines carry codes, descriptions and amounts only.
    """
    report, stage = version.report, version.report.stage
    locale = str(get_locale() or "id")
    lines = [
        {
            "account_code": line.account_code,
            "description": line.description,
            "stage": line.stage.display_name(locale) if line.stage else "",
            "allocated": line.allocated,
            "realised": line.realised,
            "variance": line.realised - line.allocated,
            "percent": line.realised * 100 / line.allocated if line.allocated else None,
            "variance_note": line.variance_note,
        }
        for line in version.budget_lines
    ]
    allocated, realised = sum(line["allocated"] for line in lines), sum(line["realised"] for line in lines)
    return {
        "report_id": report.id,
        "version": version.number,
        "title": version.title,
        "election": report.election.name,
        "election_id": report.election_id,
        "stage": stage.display_name(locale) if stage else "",
        "stage_id": report.stage_id,
        "narrative": version.narrative,
        "change_note": version.change_note,
        "published_dt": version.published_dt,
        "figures": dict(version.figures or {}),
        "participation": {
            "registered_voters": version.registered_voters,
            "voters_turnout": version.voters_turnout,
            "previous_registered_voters": version.previous_registered_voters,
            "previous_turnout": version.previous_turnout,
        },
        "budget": {
            "lines": lines,
            "allocated": allocated,
            "realised": realised,
            "percent": realised * 100 / allocated if allocated else None,
        },
        "pdf_sha256": version.pdf_sha256,
        "pdf_size": version.pdf_size,
    }


def can_read_commitment(reader: Reader, commitment, meeting_is_public: bool) -> bool:
    """Tell whether reader may read a commitment: staff; the responsible organisation's contacts (it is shared
    with them); the public once the meeting it was made at is published (organisation, text, due date, status)."""
    if reader.is_staff:
        return True
    if reader.is_contact:
        return commitment.organization_id == reader.organization_id
    return meeting_is_public


def shared_minutes(revision) -> str:
    """Return the part of a minutes revision that leaves the staff: the shared text, never the internal notes.

    The minutes email to the attendees (and any page a stakeholder reads) shows this text only.
    """
    return revision.body if revision is not None else ""


def can_read_attachment(reader: Reader, attachment, parent_readable: bool, parent_is_public: bool) -> bool:
    """Tell whether reader may download an attachment: whoever may read its parent; the public only a file
    staff made public on a published parent."""
    if reader.is_staff:
        return parent_readable
    return attachment.is_public and parent_is_public


def is_public_record(record) -> bool:
    """Tell whether a meeting or an issue is published (and not archived)."""
    return bool(record.is_public) and not record.is_archived


def public_meeting_clause(meetings):
    """Return the SQL condition that selects published meetings (``meetings`` is the Meeting model)."""
    return and_(meetings.is_public.is_(True), meetings.is_archived.is_(False))


def public_issue_clause(issues):
    """Return the SQL condition that selects published issues (``issues`` is the Issue model)."""
    return and_(issues.is_public.is_(True), issues.is_archived.is_(False))


def _days_between(start, end) -> int | None:
    return max((end - start).days, 0) if start and end else None


def public_meeting(meeting, title: str | None = None, summary: str | None = None) -> dict:
    """Return what the public may read of a meeting (title and summary may be a draft to preview).

    Organisations by name only; no people, no location or online link, no agenda or minutes.
    """
    title = (meeting.public_title if title is None else title).strip()
    kind = label("meeting_kind", meeting.kind)
    return {
        "id": meeting.id,
        "type": "meeting",
        "title": title or _("%(kind)s with stakeholders", kind=kind),
        "summary": (meeting.public_summary if summary is None else summary).strip(),
        "kind": meeting.kind,
        "kind_label": kind,
        "election_id": meeting.election_id,
        "stage_id": meeting.stage_id,
        "start_dt": meeting.start_dt,
        "end_dt": meeting.end_dt,
        "organizations": [o.name for o in meeting.organizations],
        "published_dt": meeting.published_dt,
    }


def public_issue_title(issue, title: str | None = None) -> str:
    """Return the title the public reads of an issue: its public title, else "Issue 66" (never the internal one)."""
    title = (issue.public_title if title is None else title).strip()
    return title or _("Issue %(number)s", number=issue.id)


def reference_target(reader: Reader, issue) -> str | None:
    """Say where a "#66" in a text leads for reader: "internal" (the issue's page, its title),
    "public" (the portal's page, its public title) or None (plain text: the issue is not published).

    Staff read every issue; a contact or the public only what is published, so a reference in a
    minutes email or a portal page never reveals that an unpublished issue exists nor its title.
    """
    if reader.is_staff:
        return "internal"
    return "public" if is_public_record(issue) else None


def public_issue(issue, title: str | None = None, summary: str | None = None, today=None) -> dict:
    """Return what the public may read of an issue (title and summary may be a draft to preview).

    Its public wording, status, stage, organisations, when it was raised and resolved, and how
    many days it took (or has been open until today); never its description, owner, contacts,
    timeline or internal title.
    """
    resolved = issue.status in ("resolved", "closed")
    end = issue.resolved_dt if resolved else None
    return {
        "id": issue.id,
        "type": "issue",
        "title": public_issue_title(issue, title),
        "summary": (issue.public_summary if summary is None else summary).strip(),
        "status": issue.status,
        "status_label": label("status", issue.status),
        "is_resolved": resolved,
        "election_id": issue.election_id,
        "stage_id": issue.stage_id,
        "meeting_id": issue.meeting_id if issue.meeting is not None and is_public_record(issue.meeting) else None,
        "raised_dt": issue.created_dt,
        "resolved_dt": end,
        "days": _days_between(issue.created_dt, end) if resolved else None,
        "organizations": [o.name for o in issue.organizations],
        "published_dt": issue.published_dt,
    }
