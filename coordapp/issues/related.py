"""What the issues feature tells the features below it (through coordapp.core.lookups)."""

from flask import url_for
from sqlalchemy import case, func
from sqlalchemy.orm import joinedload, load_only
from werkzeug.routing import BuildError

from coordapp.core import lookups, visibility
from coordapp.core.urls import external_url
from coordapp.extensions import db
from coordapp.issues.models import UNRESOLVED, Issue, issue_organizations
from coordapp.stakeholders.models import Contact, Organization


def open_issue_counts(org_ids: list[int]) -> dict[int, int]:
    """Count the unresolved, unarchived issues of each organization, in one query."""
    stmt = (
        db.select(issue_organizations.c.organization_id, func.count())
        .join(Issue, Issue.id == issue_organizations.c.issue_id)
        .where(
            issue_organizations.c.organization_id.in_(org_ids),
            Issue.status.in_(UNRESOLVED),
            Issue.is_archived.is_(False),
        )
        .group_by(issue_organizations.c.organization_id)
    )
    return dict(db.session.execute(stmt).all())


def _open_issues(condition) -> list[Issue]:
    return (
        db.session.execute(
            db.select(Issue)
            .where(condition, Issue.status.in_(UNRESOLVED), Issue.is_archived.is_(False))
            .options(joinedload(Issue.stage), joinedload(Issue.owner))
            .order_by(Issue.due_date.is_(None), Issue.due_date, Issue.id)
        )
        .scalars()
        .all()
    )


def open_issues_of_organization(org: Organization) -> list[Issue]:
    """Return the organization's unresolved issues, most urgent first, stage and owner loaded."""
    return _open_issues(Issue.organizations.any(Organization.id == org.id))


def open_issues_of_contact(contact: Contact) -> list[Issue]:
    """Return the unresolved issues a contact is responsible for, most urgent first, stage and owner loaded."""
    return _open_issues(Issue.contacts.any(Contact.id == contact.id))


def issue_counts_by_stage(election) -> dict[int, tuple[int, int]]:
    """Count the open and the resolved issues of each stage of an election, in one query."""
    rows = db.session.execute(
        db.select(
            Issue.stage_id,
            func.sum(case((Issue.status.in_(UNRESOLVED), 1), else_=0)),
            func.sum(case((Issue.status.in_(UNRESOLVED), 0), else_=1)),
        )
        .where(Issue.election_id == election.id, Issue.is_archived.is_(False))
        .group_by(Issue.stage_id)
    )
    return {stage_id: (int(open_n or 0), int(resolved_n or 0)) for stage_id, open_n, resolved_n in rows}


def issue_references(ids: list[int], reader: visibility.Reader) -> dict[int, tuple[str, str]]:
    """Return {id: (href, title)} of the referenced issues reader may follow, in one query (see core.text).

    Staff: the issue's page and title. A contact (who reads it in an email) or the public: a published
    issue's portal page, by an absolute link, with its public title; an unpublished issue is left out.
    """
    rows = db.session.execute(
        db.select(Issue)
        .where(Issue.id.in_(ids))
        .options(load_only(Issue.id, Issue.title, Issue.public_title, Issue.is_public, Issue.is_archived))
    ).scalars()
    found = {}
    for issue in rows:
        target = visibility.reference_target(reader, issue)
        try:
            if target == "internal":
                found[issue.id] = (url_for("issues.detail", issue_id=issue.id), issue.title)
            elif target == "public":
                public_url = external_url("public.issue", issue_id=issue.id)
                found[issue.id] = (public_url, visibility.public_issue_title(issue))
        except BuildError:  # an app without the portal: the reference stays plain text
            continue
    return found


def answer_lookups() -> None:
    """Answer the questions of the stakeholder register and the elections home."""
    lookups.answer(lookups.OPEN_ISSUE_COUNTS, open_issue_counts)
    lookups.answer(lookups.OPEN_ISSUES_OF_ORGANIZATION, open_issues_of_organization)
    lookups.answer(lookups.OPEN_ISSUES_OF_CONTACT, open_issues_of_contact)
    lookups.answer(lookups.ISSUE_COUNTS_BY_STAGE, issue_counts_by_stage)
    lookups.answer(lookups.ISSUE_REFERENCES, issue_references)
