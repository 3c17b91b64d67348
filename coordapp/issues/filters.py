"""IssueFilter: the issue list's filters, read from query args and applied to a select.

Other features link to ``issues.index`` with ``url_for("issues.index", **f.to_args())``;
``from_args(MultiDict(f.to_args()))`` gives ``f`` back.

The list opens on the unresolved issues, soonest due first: no ``status`` in the query means
those, ``status=all`` every status. Query strings written before that default (bookmarks of the
old grouped list, saved filters) meant every status; ``from_args(args, legacy=True)`` reads them so.
"""

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import NamedTuple

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, or_
from werkzeug.datastructures import MultiDict

from coordapp.auth.models import User
from coordapp.core.labels import label
from coordapp.core.validation import parse_date, parse_id
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.models import PRIORITIES, STATUSES, UNRESOLVED, Issue
from coordapp.stakeholders.models import CATEGORIES, Organization

MAX_QUERY = 200
TRUE_WORDS = ("1", "true", "on", "yes", "y")
ALL_STATUSES = "all"  # status=all: every status (no status in the query: the unresolved ones)
SHOWN_VALUE = 40  # how much of a refused value an error message repeats

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
DEFAULT_SORT = "due"
SORT_CHOICES = [  # what the sort select offers, in this order
    ("due", _l("Due date, soonest first")),
    ("-due", _l("Due date, latest first")),
    ("-created", _l("Newest first")),
    ("created", _l("Oldest first")),
    ("priority", _l("Most urgent first")),
    ("-priority", _l("Least urgent first")),
]


NOT_A_CHOICE = _l("“%(value)s” is not one of the choices of “%(field)s”; that condition is left out.")
NOT_A_DATE = _l("“%(value)s” is not a date (write it as YYYY-MM-DD); that condition is left out.")


class FilterProblem(NamedTuple):
    """A query value the list could not read: the field it was for and what to tell the reader."""

    field: str
    message: str


def _flag(value) -> bool:
    return str(value or "").strip().lower() in TRUE_WORDS


def _about(label, rows=None, coded: str | None = None, nobody=None) -> dict:
    """Describe a filter field: its label, and how its values read (rows of a model, or coded labels)."""
    return {"label": label, "rows": rows, "coded": coded, "nobody": nobody}


@dataclass
class IssueFilter:
    """What the issue list shows; the defaults are the list's first view: the unresolved, unarchived
    issues, soonest due first (``status=[]`` and the other fields empty: every unarchived issue).

    Each field's metadata says how it reads: the label every filter form shows and the words
    describing a saved filter (``describe``) come from here, so a new field is labelled once.
    """

    election_id: int | None = field(default=None, metadata=_about(_l("Election"), rows=Election))
    stage: list[int] = field(default_factory=list, metadata=_about(_l("Stage"), rows=Stage))
    # the unresolved statuses by default; [] for every status
    status: list[str] = field(default_factory=lambda: list(UNRESOLVED), metadata=_about(_l("Status"), coded="status"))
    priority: list[str] = field(default_factory=list, metadata=_about(_l("Priority"), coded="priority"))
    organization: int | None = field(default=None, metadata=_about(_l("Organization"), rows=Organization))
    category: str | None = field(default=None, metadata=_about(_l("Category"), coded="category"))
    # a user id, or "none" for issues nobody owns
    owner: int | str | None = field(default=None, metadata=_about(_l("Owner"), rows=User, nobody=_l("nobody")))
    due_after: date | None = field(default=None, metadata=_about(_l("Due from")))
    due_before: date | None = field(default=None, metadata=_about(_l("Due until")))
    overdue: bool = field(default=False, metadata=_about(_l("Overdue only")))
    q: str = field(default="", metadata=_about(_l("Text")))
    # True: the archive instead of the live issues
    archived: bool = field(default=False, metadata=_about(_l("Archived issues")))
    sort: str = field(default=DEFAULT_SORT, metadata=_about(_l("Sort")))

    @staticmethod
    def label(name: str) -> str:
        """Return the label of a filter field, as every filter form and description shows it."""
        return str(_FIELDS[name].metadata["label"])

    @classmethod
    def from_args(cls, args: MultiDict, legacy: bool = False) -> "IssueFilter":
        """Read a filter from query args, leaving out values that mean nothing (see ``read``)."""
        return cls.read(args, legacy)[0]

    @classmethod
    def read(cls, args: MultiDict, legacy: bool = False) -> tuple["IssueFilter", list[FilterProblem]]:
        """Read a filter from query args; each value it cannot read is left out and named in a problem.

        legacy: args written when no status meant every status (old bookmarks, saved filters).
        """
        given = _Args(args)
        owner_arg = str(args.get("owner") or "").strip()
        category = given.code("category", CATEGORIES)
        sort = given.code("sort", SORTS)
        issue_filter = cls(
            election_id=given.one_id("election_id"),
            stage=given.ids("stage"),
            status=given.statuses(legacy),
            priority=given.codes("priority", PRIORITIES),
            organization=given.one_id("organization"),
            category=category,
            owner="none" if owner_arg == "none" else given.one_id("owner"),
            due_after=given.day("due_after"),
            due_before=given.day("due_before"),
            overdue=_flag(args.get("overdue")),
            q=" ".join(str(args.get("q") or "").split())[:MAX_QUERY],
            archived=_flag(args.get("archived")),
            sort=sort or DEFAULT_SORT,
        )
        return issue_filter, given.problems

    def to_args(self) -> dict:
        """Return the query args of this filter (defaults left out), for url_for."""
        args = {}
        default = IssueFilter()
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            if f.name == "status" and not value:
                value = ALL_STATUSES
            elif isinstance(value, date):
                value = value.isoformat()
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

    def _clauses(self):
        """Yield (field, a function returning its WHERE clause) for the fields that compare a column."""
        yield "election_id", lambda: Issue.election_id == self.election_id
        yield "stage", lambda: Issue.stage_id.in_(self.stage)
        yield "status", lambda: Issue.status.in_(self.status)
        yield "priority", lambda: Issue.priority.in_(self.priority)
        yield "organization", lambda: Issue.organizations.any(Organization.id == self.organization)
        yield "category", lambda: Issue.organizations.any(Organization.category == self.category)
        yield "owner", lambda: Issue.owner_id.is_(None) if self.owner == "none" else Issue.owner_id == self.owner
        yield "due_after", lambda: Issue.due_date >= self.due_after
        yield "due_before", lambda: Issue.due_date <= self.due_before

    def apply(self, stmt: Select, today: date, skip: tuple[str, ...] = ()) -> Select:
        """Add the WHERE clauses of this filter to a select of issues (fields in skip left out)."""

        def wanted(name: str) -> bool:
            return name not in skip and bool(getattr(self, name))

        stmt = stmt.where(Issue.is_archived.is_(self.archived))
        for name, clause in self._clauses():
            if wanted(name):
                stmt = stmt.where(clause())
        if wanted("overdue"):
            stmt = stmt.where(Issue.status.in_(UNRESOLVED), Issue.due_date < today)
        if wanted("q"):
            stmt = stmt.where(
                or_(
                    Issue.title.icontains(self.q, autoescape=True), Issue.description.icontains(self.q, autoescape=True)
                )
            )
        return stmt


class _Args:
    """Query args read field by field; what cannot be read is left out and kept as a FilterProblem."""

    def __init__(self, args: MultiDict):
        self.args, self.problems = args, []

    def refuse(self, name: str, value, message=NOT_A_CHOICE) -> None:
        shown = " ".join(str(value).split())
        shown = shown if len(shown) <= SHOWN_VALUE else shown[:SHOWN_VALUE] + "…"
        self.problems.append(FilterProblem(name, str(message) % {"value": shown, "field": IssueFilter.label(name)}))

    def _values(self, name: str) -> list[str]:
        return [v for v in (str(v).strip() for v in self.args.getlist(name)) if v]

    def one_id(self, name: str) -> int | None:
        value = str(self.args.get(name) or "").strip()
        number = parse_id(value)
        if value and number is None:
            self.refuse(name, value)
        return number

    def ids(self, name: str) -> list[int]:
        found = []
        for value in self._values(name):
            number = parse_id(value)
            if number is None:
                self.refuse(name, value)
            elif number not in found:
                found.append(number)
        return found

    def codes(self, name: str, known, values: list[str] | None = None) -> list[str]:
        values = self._values(name) if values is None else values
        for value in values:
            if value not in known:
                self.refuse(name, value)
        return [c for c in known if c in values]

    def code(self, name: str, known) -> str | None:
        value = str(self.args.get(name) or "").strip()
        if value and value not in known:
            self.refuse(name, value)
        return value if value in known else None

    def day(self, name: str) -> date | None:
        value = str(self.args.get(name) or "").strip()
        parsed = parse_date(value)
        if value and parsed is None:
            self.refuse(name, value, NOT_A_DATE)
        return parsed

    def statuses(self, legacy: bool) -> list[str]:
        if "status" not in self.args:
            return [] if legacy else list(UNRESOLVED)
        values = self._values("status")
        if ALL_STATUSES in values:
            return []
        status = self.codes("status", STATUSES, values)
        # nothing readable: the list's default, as if no status were given; nothing at all ticked: every status
        return list(UNRESOLVED) if values and not status else status


_FIELDS = {f.name: f for f in fields(IssueFilter)}
DESCRIBED = [f for f in fields(IssueFilter) if f.name != "sort"]  # the sort orders, it selects nothing


def _row_name(row, locale: str) -> str:
    return row.display_name(locale) if hasattr(row, "display_name") else row.name


def _rows_named(filters: list[IssueFilter], locale: str) -> dict[tuple[str, int], str]:
    """Name every row the filters mention, one query per field that refers to rows."""
    names = {}
    for f in DESCRIBED:
        model = f.metadata["rows"]
        ids = set()
        for issue_filter in filters:
            value = getattr(issue_filter, f.name)
            ids |= {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, int)}
        if model is not None and ids:
            for row in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars():
                names[(f.name, row.id)] = _row_name(row, locale)
    return names


UNRESOLVED_WORDS = _l("open (not resolved or closed)")


def _words(f, value, names: dict) -> str:
    about = f.metadata
    if about["nobody"] is not None and value == "none":
        return str(about["nobody"])
    values = value if isinstance(value, list) else [value]
    if f.name == "status" and sorted(values) == sorted(UNRESOLVED):
        return str(UNRESOLVED_WORDS)
    if about["coded"]:
        return ", ".join(label(about["coded"], v) for v in values)
    if about["rows"] is not None:
        return ", ".join(names[(f.name, v)] for v in values if (f.name, v) in names)
    if isinstance(value, date):
        return format_date(value, "long")
    return str(value)


def _conditions(issue_filter: IssueFilter, names: dict) -> list[tuple[str, str]]:
    """Return (field, words) per field the filter sets: "Stage: Kampanye"; a flag is its label."""
    found = []
    for f in DESCRIBED:
        value = getattr(issue_filter, f.name)
        if value == f.default or value == []:
            continue
        if value is True:
            found.append((f.name, str(f.metadata["label"])))
        else:  # a row since deleted still shows, by its id, so that its condition can be dropped
            ids = value if isinstance(value, list) else [value]
            words = _words(f, value, names) or ", ".join(f"#{v}" for v in ids)
            found.append((f.name, f"{f.metadata['label']}: {words}"))
    return found


def describe(filters: list[IssueFilter], locale: str) -> list[list[str]]:
    """Return, per filter, a readable line per field it sets ("Stage: Kampanye"; a flag is its label)."""
    names = _rows_named(filters, locale)
    return [[words for _, words in _conditions(f, names)] for f in filters]


def conditions(issue_filter: IssueFilter, locale: str) -> list[tuple[str, str, "IssueFilter"]]:
    """Return (field, words, the filter without that condition) per condition: the list's removable chips.

    Dropping the status condition shows every status (not the default unresolved ones).
    """
    names = _rows_named([issue_filter], locale)
    return [
        (name, words, replace(issue_filter, status=[]) if name == "status" else issue_filter.without(name))
        for name, words in _conditions(issue_filter, names)
    ]
