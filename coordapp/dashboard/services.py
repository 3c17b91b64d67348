"""Saved filters: a user's named issue filters, and the ones managers share with each other."""

from urllib.parse import parse_qsl

from flask_babel import gettext as _
from sqlalchemy import func
from werkzeug.datastructures import MultiDict

from coordapp.auth.models import User
from coordapp.core.labels import label
from coordapp.dashboard.models import SavedFilter
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.issues.filters import IssueFilter
from coordapp.stakeholders.models import Organization


def filter_from_query(query_string: str) -> IssueFilter:
    """Read an IssueFilter from a query string (unknown or bad values dropped)."""
    return IssueFilter.from_args(MultiDict(parse_qsl(query_string or "", keep_blank_values=False)))


def issue_filter(saved: SavedFilter) -> IssueFilter:
    """Return the IssueFilter a saved filter stands for."""
    pairs = [
        (k, v) for k, values in (saved.args or {}).items() for v in (values if isinstance(values, list) else [values])
    ]
    return IssueFilter.from_args(MultiDict([(k, str(v)) for k, v in pairs]))


def name_taken(user_id: int, name: str, exclude_id: int | None = None) -> bool:
    """Tell whether the user already has a saved filter with this name (case ignored)."""
    stmt = db.select(SavedFilter.id).where(SavedFilter.user_id == user_id, func.lower(SavedFilter.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(SavedFilter.id != exclude_id)
    return db.session.execute(stmt).first() is not None


def save_filter(user, name: str, issue_filter: IssueFilter, is_shared: bool = False) -> SavedFilter:
    """Keep an issue filter under a name for user."""
    saved = SavedFilter(user_id=user.id, name=name, args=issue_filter.to_args(), is_shared=is_shared)
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


def _rows_by_id(model, ids: set) -> dict:
    """Return the rows of model with these ids, by id."""
    if not ids:
        return {}
    return {row.id: row for row in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars()}


def describe_filters(saved_filters: list[SavedFilter], locale: str) -> dict[int, list[str]]:
    """Return a readable line per criterion of each saved filter, naming stages, organizations and owners."""
    filters = {s.id: issue_filter(s) for s in saved_filters}
    names = _rows_by_id
    stages = names(Stage, {i for f in filters.values() for i in f.stage})
    orgs = names(Organization, {f.organization for f in filters.values() if f.organization})
    users = names(User, {f.owner for f in filters.values() if isinstance(f.owner, int)})
    elections = names(Election, {f.election_id for f in filters.values() if f.election_id})
    described = {}
    for saved_id, f in filters.items():
        lines = []
        if f.election_id in elections:
            lines.append(_("Election: %(name)s", name=elections[f.election_id].name))
        if f.stage:
            lines.append(
                _("Stage: %(names)s", names=", ".join(stages[i].display_name(locale) for i in f.stage if i in stages))
            )
        if f.status:
            lines.append(_("Status: %(names)s", names=", ".join(label("status", s) for s in f.status)))
        if f.priority:
            lines.append(_("Priority: %(names)s", names=", ".join(label("priority", p) for p in f.priority)))
        if f.category:
            lines.append(_("Category: %(name)s", name=label("category", f.category)))
        if f.organization in orgs:
            lines.append(_("Organization: %(name)s", name=orgs[f.organization].name))
        if f.owner == "none" or f.owner in users:
            lines.append(_("Owner: nobody") if f.owner == "none" else _("Owner: %(name)s", name=users[f.owner].name))
        if f.overdue:
            lines.append(_("Overdue only"))
        if f.q:
            lines.append(_("Text: %(q)s", q=f.q))
        if f.archived:
            lines.append(_("Archived issues"))
        described[saved_id] = lines or [_("All issues")]
    return described
