"""Saved filters: a user's named issue filters, and the ones managers share with each other."""

from urllib.parse import parse_qsl

from flask_babel import gettext as _
from sqlalchemy import func
from werkzeug.datastructures import MultiDict

from coordapp.dashboard.models import SavedFilter
from coordapp.extensions import db
from coordapp.issues import filters
from coordapp.issues.filters import IssueFilter


def filter_from_query(query_string: str) -> IssueFilter:
    """Read an IssueFilter from a query string (unknown or bad values dropped)."""
    return IssueFilter.from_args(MultiDict(parse_qsl(query_string or "", keep_blank_values=False)))


def issue_filter(saved: SavedFilter) -> IssueFilter:
    """Return the IssueFilter a saved filter stands for (saved without a status: every status, as it was then)."""
    pairs = [
        (k, v) for k, values in (saved.args or {}).items() for v in (values if isinstance(values, list) else [values])
    ]
    return IssueFilter.from_args(MultiDict([(k, str(v)) for k, v in pairs]), legacy=True)


def saved_args(issue_filter: IssueFilter) -> dict:
    """Return the query args to keep for a filter, its statuses always written (no status once meant every one)."""
    args = issue_filter.to_args()
    args.setdefault("status", list(issue_filter.status))
    return args


def name_taken(user_id: int, name: str, exclude_id: int | None = None) -> bool:
    """Tell whether the user already has a saved filter with this name (case ignored)."""
    stmt = db.select(SavedFilter.id).where(SavedFilter.user_id == user_id, func.lower(SavedFilter.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(SavedFilter.id != exclude_id)
    return db.session.execute(stmt).first() is not None


def save_filter(user, name: str, issue_filter: IssueFilter, is_shared: bool = False) -> SavedFilter:
    """Keep an issue filter under a name for user."""
    saved = SavedFilter(user_id=user.id, name=name, args=saved_args(issue_filter), is_shared=is_shared)
    db.session.add(saved)
    db.session.flush()
    return saved


def update_filter(saved: SavedFilter, name: str, is_shared: bool) -> None:
    """Rename a saved filter and set whether it is shared."""
    saved.name, saved.is_shared = name, is_shared


def delete_filter(saved: SavedFilter) -> None:
    """Forget a saved filter."""
    db.session.delete(saved)


def visible_filters(user) -> tuple[list[SavedFilter], list[SavedFilter]]:
    """Return the user's own saved filters and those other managers share, each by name."""
    rows = (
        db.session.execute(
            db.select(SavedFilter)
            .where((SavedFilter.user_id == user.id) | SavedFilter.is_shared.is_(True))
            .options(db.joinedload(SavedFilter.user))
            .order_by(func.lower(SavedFilter.name), SavedFilter.id)
        )
        .scalars()
        .all()
    )
    return [s for s in rows if s.user_id == user.id], [s for s in rows if s.user_id != user.id]


def visible_filter(user, filter_id: int) -> SavedFilter | None:
    """Return a saved filter the user may use: their own, or a shared one."""
    saved = db.session.get(SavedFilter, filter_id)
    if saved is None or (saved.user_id != user.id and not saved.is_shared):
        return None
    return saved


def describe_filters(saved_filters: list[SavedFilter], locale: str) -> dict[int, list[str]]:
    """Return a readable line per criterion of each saved filter (words from IssueFilter's own fields)."""
    described = filters.describe([issue_filter(s) for s in saved_filters], locale)
    return {saved.id: lines or [_("All issues")] for saved, lines in zip(saved_filters, described, strict=True)}
