"""Rules of the stakeholder register: finding, saving, deactivating and placing organizations."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from coordapp.core import lookups
from coordapp.core.validation import fold_key, parse_page
from coordapp.extensions import db
from coordapp.stakeholders.models import CATEGORIES, Contact, Organization

ACTIVE_STATES = ("yes", "no", "all")
HIGH_FROM = 4  # on the 1-5 scales, 4 and 5 count as high
PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")
QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")


@dataclass
class RegisterFilter:
    """What the organization list shows: a text search, a category, active or not, a page."""

    q: str = ""
    category: str = ""
    active: str = "yes"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict) -> "RegisterFilter":
        """Read the filter from query arguments, ignoring values that make no sense."""
        category = args.get("category", "")
        active = args.get("active", "yes")
        return cls(
            q=args.get("q", "").strip()[:100],
            category=category if category in CATEGORIES else "",
            active=active if active in ACTIVE_STATES else "yes",
            page=parse_page(args.get("page")),
        )

    def to_args(self, **changes) -> dict:
        """Return the query arguments of this filter (with changes), leaving out defaults."""
        values = {"q": self.q, "category": self.category, "active": self.active, "page": self.page} | changes
        defaults = {"q": "", "category": "", "active": "yes", "page": 1}
        return {key: value for key, value in values.items() if value != defaults[key]}

    def apply(self, stmt, with_category: bool = True):
        """Add this filter's WHERE clauses to a select of organizations."""
        if self.active != "all":
            stmt = stmt.where(Organization.is_active.is_(self.active == "yes"))
        if with_category and self.category:
            stmt = stmt.where(Organization.category == self.category)
        if self.q:
            contact_match = (
                db.select(Contact.id)
                .where(Contact.organization_id == Organization.id)
                .where(
                    or_(
                        Contact.name.icontains(self.q, autoescape=True),
                        Contact.email.icontains(self.q, autoescape=True),
                    )
                )
                .exists()
            )
            stmt = stmt.where(
                or_(
                    Organization.name.icontains(self.q, autoescape=True),
                    Organization.short_name.icontains(self.q, autoescape=True),
                    contact_match,
                )
            )
        return stmt


def list_organizations(register_filter: RegisterFilter, per_page: int):
    """Return one page of organizations (contacts loaded) for a filter."""
    stmt = register_filter.apply(db.select(Organization)).options(selectinload(Organization.contacts))
    return db.paginate(stmt.order_by(Organization.name), page=register_filter.page, per_page=per_page, error_out=False)


def category_counts(register_filter: RegisterFilter) -> dict[str, int]:
    """Count the organizations per category that the filter would show, whatever its category."""
    stmt = register_filter.apply(db.select(Organization.category, func.count()), with_category=False)
    return dict(db.session.execute(stmt.group_by(Organization.category)).all())


def open_issue_counts(org_ids: list[int]) -> dict[int, int]:
    """Count the unresolved, unarchived issues of each organization (answered by the issues feature)."""
    return lookups.ask(lookups.OPEN_ISSUE_COUNTS, org_ids, default={}) if org_ids else {}


def meetings_of(org: Organization, limit: int = 20) -> list:
    """Return the organization's newest meetings, stage and election loaded (answered by the meetings feature)."""
    return lookups.ask(lookups.MEETINGS_OF_ORGANIZATION, org, limit, default=[])


def open_issues_of(org: Organization) -> list:
    """Return the organization's unresolved issues, most urgent first (answered by the issues feature)."""
    return lookups.ask(lookups.OPEN_ISSUES_OF_ORGANIZATION, org, default=[])


def open_issues_of_contact(contact: Contact) -> list:
    """Return the unresolved issues a contact is responsible for, most urgent first (answered by issues)."""
    return lookups.ask(lookups.OPEN_ISSUES_OF_CONTACT, contact, default=[])


def organization_named(name: str, exclude_id: int | None = None) -> Organization | None:
    """Return the organization with this name, ignoring case (Unicode case folding) and spacing."""
    stmt = db.select(Organization).where(Organization.name_key == fold_key(name))
    if exclude_id is not None:
        stmt = stmt.where(Organization.id != exclude_id)
    return db.session.execute(stmt).scalars().first()


def contact_with_email(email: str, exclude_id: int | None = None) -> Contact | None:
    """Return the contact with this email, ignoring case (emails are stored lower case)."""
    stmt = db.select(Contact).where(Contact.email == normalise_email(email)).options(joinedload(Contact.organization))
    if exclude_id is not None:
        stmt = stmt.where(Contact.id != exclude_id)
    return db.session.execute(stmt).scalars().first()


def phone_problem(phone: str) -> str | None:
    """Say what is wrong with a phone number, if anything: digits with the usual separators only."""
    if phone and not PHONE.match(phone.strip()):
        return _("Use digits, spaces and + - ( ) only, e.g. +62 21 555 0101.")
    return None


def normalise_email(email: str) -> str:
    """Return the stored form of an email address: trimmed, lower case."""
    return (email or "").strip().lower()


def save_organization(org: Organization | None, data: dict) -> Organization:
    """Create (org None) or update an organization from validated values."""
    if org is None:
        org = Organization(is_active=True)
        db.session.add(org)
    for key, value in data.items():
        setattr(org, key, value.strip() if isinstance(value, str) else value)
    return org


def save_contact(contact: Contact | None, data: dict) -> Contact:
    """Create (contact None) or update a contact from validated values; the email is kept lower case."""
    if contact is None:
        contact = Contact(is_active=True)
        db.session.add(contact)
    old_email = contact.email
    for key, value in data.items():
        setattr(contact, key, value.strip() if isinstance(value, str) else value)
    contact.email = normalise_email(contact.email)
    if contact.email != old_email and contact.bounced_dt is not None:
        contact.bounced_dt, contact.bounce_reason = None, ""  # a new address gets a fresh chance (mail-in bounces)
    return contact


def mark_bounced(contact: Contact, reason: str, now) -> None:
    """Record that email to a contact's address bounces (its reminders pause until the address changes)."""
    contact.bounced_dt, contact.bounce_reason = now, (reason or "bounced")[:300]


def set_active(item: Organization | Contact, active: bool) -> None:
    """Deactivate (archive) or reactivate an organization or a contact; nothing is deleted."""
    item.is_active = active


def quadrant(influence: int, interest: int) -> str:
    """Name the influence/interest quadrant of a grid cell."""
    high_influence, high_interest = influence >= HIGH_FROM, interest >= HIGH_FROM
    if high_influence:
        return "manage_closely" if high_interest else "keep_satisfied"
    return "keep_informed" if high_interest else "monitor"


def grid(organizations: list[Organization]) -> dict[tuple[int, int], list[Organization]]:
    """Place organizations in the 5x5 grid, keyed by (influence, interest)."""
    cells: dict[tuple[int, int], list[Organization]] = {(i, j): [] for i in range(1, 6) for j in range(1, 6)}
    for org in organizations:
        cells[(_on_scale(org.influence), _on_scale(org.interest))].append(org)
    return cells


def _on_scale(value: int | None) -> int:
    return min(max(value or 1, 1), 5)


def grid_organizations(category: str = "") -> list[Organization]:
    """Return the active organizations for the grid, by name, optionally of one category."""
    stmt = db.select(Organization).where(Organization.is_active.is_(True)).order_by(Organization.name)
    if category in CATEGORIES:
        stmt = stmt.where(Organization.category == category)
    return db.session.execute(stmt).scalars().all()
