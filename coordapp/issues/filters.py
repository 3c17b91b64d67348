"""IssueFilter: the issue list's filters, read from query args and applied to a select.

Other features link to ``issues.index`` with ``url_for("issues.index", **f.to_args())``;
``from_args(MultiDict(f.to_args()))`` gives ``f`` back.
"""

from dataclasses import dataclass, field, fields, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, or_
from werkzeug.datastructures import MultiDict

from coordapp.core.validation import parse_id, parse_ids
from coordapp.issues.models import PRIORITIES, STATUSES, UNRESOLVED, Issue
from coordapp.stakeholders.models import CATEGORIES, Organization

MAX_QUERY = 200
TRUE_WORDS = ("1", "true", "on", "yes", "y")

# Urgency rank: critical first when sorting by "priority".
PRIORITY_ORDER = {p: rank for rank, p in enumerate(reversed(PRIORITIES))}
PRIORITY_RANK = case(PRIORITY_ORDER, value=Issue.priority, else_=len(PRIORITIES))

# sort key -> (column or expression, descending?, may the column be NULL?)
SORTS = {
    "due": (Issue.due_date, False, True),
    "-due": (Issue.due_date, True, True),
    "created": (Issue.created_dt, False, False),
    "-created": (Issue.created_dt, True, False),
    "priority": (PRIORITY_RANK, False, False),
    "-priority": (PRIORITY_RANK, True, False),
}
DEFAULT_SORT = "-created"
SORT_CHOICES = [  # what the sort select offers, in this order
    ("-created", _l("Newest first")),
    ("created", _l("Oldest first")),
    ("due", _l("Due date, soonest first")),
    ("-due", _l("Due date, latest first")),
    ("priority", _l("Most urgent first")),
    ("-priority", _l("Least urgent first")),
]


def _flag(value) -> bool:
    return str(value or "").strip().lower() in TRUE_WORDS


@dataclass
class IssueFilter:
    """What the issue list shows: every field empty means "all unarchived issues"."""

    election_id: int | None = None
    stage: list[int] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    priority: list[str] = field(default_factory=list)
    organization: int | None = None
    category: str | None = None
    owner: int | str | None = None  # a user id, or "none" for issues nobody owns
    overdue: bool = False
    q: str = ""
    archived: bool = False  # True: the archive instead of the live issues
    sort: str = DEFAULT_SORT

    @classmethod
    def from_args(cls, args: MultiDict) -> "IssueFilter":
        """Read a filter from query args, ignoring values that mean nothing."""
        owner_arg = str(args.get("owner") or "").strip()
        category = str(args.get("category") or "").strip()
        sort = args.get("sort", DEFAULT_SORT)
        return cls(
            election_id=parse_id(args.get("election_id")),
            stage=parse_ids(args.getlist("stage")),
            status=[s for s in STATUSES if s in args.getlist("status")],
            priority=[p for p in PRIORITIES if p in args.getlist("priority")],
            organization=parse_id(args.get("organization")),
            category=category if category in CATEGORIES else None,
            owner="none" if owner_arg == "none" else parse_id(owner_arg),
            overdue=_flag(args.get("overdue")),
            q=" ".join(str(args.get("q") or "").split())[:MAX_QUERY],
            archived=_flag(args.get("archived")),
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )

    def to_args(self) -> dict:
        """Return the query args of this filter (defaults left out), for url_for."""
        args = {}
        default = IssueFilter()
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            args[f.name] = "1" if value is True else value
        return args

    def without(self, *names: str) -> "IssueFilter":
        """Return a copy with the named fields back at their defaults."""
        default = IssueFilter()
        return replace(self, **{name: getattr(default, name) for name in names})

    @property
    def is_filtered(self) -> bool:
        """Tell whether any filter (not the sort) narrows the list."""
        return bool(self.without("sort").to_args())

    def apply(self, stmt: Select, today: date, skip: tuple[str, ...] = ()) -> Select:
        """Add the WHERE clauses of this filter to a select of issues (fields in skip left out)."""

        def wanted(name: str) -> bool:
            return name not in skip and bool(getattr(self, name))

        stmt = stmt.where(Issue.is_archived.is_(self.archived))
        if wanted("election_id"):
            stmt = stmt.where(Issue.election_id == self.election_id)
        if wanted("stage"):
            stmt = stmt.where(Issue.stage_id.in_(self.stage))
        if wanted("status"):
            stmt = stmt.where(Issue.status.in_(self.status))
        if wanted("priority"):
            stmt = stmt.where(Issue.priority.in_(self.priority))
        if wanted("organization"):
            stmt = stmt.where(Issue.organizations.any(Organization.id == self.organization))
        if wanted("category"):
            stmt = stmt.where(Issue.organizations.any(Organization.category == self.category))
        if wanted("owner"):
            stmt = stmt.where(Issue.owner_id.is_(None) if self.owner == "none" else Issue.owner_id == self.owner)
        if wanted("overdue"):
            stmt = stmt.where(Issue.status.in_(UNRESOLVED), Issue.due_date < today)
        if wanted("q"):
            stmt = stmt.where(
                or_(
                    Issue.title.icontains(self.q, autoescape=True), Issue.description.icontains(self.q, autoescape=True)
                )
            )
        return stmt
