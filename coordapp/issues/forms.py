"""Forms of the issues feature: the issue itself, follow-ups, status moves."""

from datetime import date

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from wtforms import DateField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coordapp.auth.models import User
from coordapp.core.labels import choices, label
from coordapp.core.locking import VersionMixin
from coordapp.core.submissions import SubmitOnceMixin
from coordapp.core.validation import bounded_id
from coordapp.core.visibility import INTERNAL, SHARED
from coordapp.elections.models import Election, Stage
from coordapp.extensions import db
from coordapp.forms import MARKDOWN, REQUIRED, TOO_LONG, UNKNOWN, RequiredWhen, TranslatedForm
from coordapp.issues import permissions, services
from coordapp.meetings.models import Meeting
from coordapp.stakeholders.models import Contact, Organization

MAX_TITLE = 200
MAX_TEXT = 20_000


def optional_int(value) -> int | None:
    """Coerce a select's value to an id, "" meaning none."""
    return None if value in (None, "", "None") else bounded_id(value)


def _select(text, **kwargs):
    return SelectField(text, invalid_choice_message=UNKNOWN, invalid_value_message=UNKNOWN, **kwargs)


def _multi(text, **kwargs):
    return SelectMultipleField(
        text, coerce=bounded_id, invalid_choice_message=UNKNOWN, invalid_value_message=UNKNOWN, **kwargs
    )


# IssueForm fields values() turns into rows (or drops); every other field passes through as it is.
# The version and the one-time token belong to the form's mixins (core.locking, core.submissions), not the issue.
_PICKED = frozenset(
    {"csrf_token", "election_id", "stage_id", "meeting_id", "owner_id", "organization_ids", "contact_ids"}
    | {"version", "submission_token"}
)


class IssueForm(SubmitOnceMixin, VersionMixin, TranslatedForm):
    election_id = _select(_l("Election"), coerce=bounded_id)
    stage_id = _select(_l("Stage"), coerce=optional_int)
    meeting_id = _select(_l("Raised at meeting"), coerce=optional_int)
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=MAX_TITLE, message=TOO_LONG)])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=MAX_TEXT, message=TOO_LONG)],
        description=_l("Markdown: **bold**, *italic*, lists and links."),
        render_kw=MARKDOWN,
    )
    priority = _select(_l("Priority"), choices=[SelectChoice(v, t) for v, t in choices("priority")], default="normal")
    owner_id = _select(_l("Owner"), coerce=optional_int, validate_choice=False)  # checked in validate_owner_id
    due_date = DateField(_l("Due date"), validators=[Optional()])
    organization_ids = _multi(_l("Organizations"))
    contact_ids = _multi(_l("Responsible contacts"))

    def setup(self, user, issue, today: date) -> "IssueForm":
        """Load the choices this user may pick from, and remember what the rules need."""
        self._user, self._issue, self._today = user, issue, today
        load_issue_choices(self, user, issue)
        return self

    def _picked(self, model, field):
        return db.session.get(model, field.data) if field.data is not None else None

    def validate_stage_id(self, field):
        """Refuse a stage of another election."""
        election = None if field.errors else self._picked(Election, self.election_id)
        if election is not None and (problem := services.stage_problem(election, self._picked(Stage, field))):
            raise ValidationError(problem)

    def validate_meeting_id(self, field):
        """Refuse a meeting of another election."""
        election = None if field.errors else self._picked(Election, self.election_id)
        if election is not None and (problem := services.meeting_problem(election, self._picked(Meeting, field))):
            raise ValidationError(problem)

    def validate_due_date(self, field):
        """Refuse a due date far in the past, unless it is the one the issue already has."""
        previous = self._issue.due_date if self._issue is not None else None
        if problem := services.due_date_problem(field.data, self._today, previous):
            raise ValidationError(problem)

    def validate_owner_id(self, field):
        """Let staff give the issue only to themselves (or keep its owner); managers to any listed user."""
        if field.errors:
            return
        if not permissions.owner_allowed(self._user, self._issue, field.data):
            raise ValidationError(_l("You can assign the issue only to yourself; a manager can assign it to others."))
        if field.data not in {optional_int(choice.value) for choice in field.choices}:
            raise ValidationError(UNKNOWN)

    def values(self) -> dict:
        """Return the validated input as services.create_issue / update_issue take it."""

        def rows(model, ids):
            return db.session.execute(db.select(model).where(model.id.in_(ids))).scalars().all() if ids else []

        plain = {field.name: field.data for field in self if field.name not in _PICKED}  # e.g. due_date
        return plain | {
            "election": self._picked(Election, self.election_id),
            "stage": self._picked(Stage, self.stage_id),
            "meeting": self._picked(Meeting, self.meeting_id),
            "title": self.title.data.strip(),
            "description": self.description.data or "",
            "priority": self.priority.data,
            "owner": self._picked(User, self.owner_id),
            "organizations": rows(Organization, self.organization_ids.data),
            "contacts": rows(Contact, self.contact_ids.data),
        }


def load_issue_choices(form: IssueForm, user, issue) -> None:
    """Fill the form's selects: elections, their stages and meetings, owners, organizations, contacts."""

    def keep(model, condition, current_ids):
        return db.or_(condition, model.id.in_(current_ids)) if current_ids else condition

    elections = (
        db.session.execute(db.select(Election).order_by(Election.is_active.desc(), Election.name)).scalars().all()
    )
    form.election_id.choices = [SelectChoice(str(e.id), e.name) for e in elections]
    names = {e.id: e.name for e in elections}
    stages = db.session.execute(db.select(Stage).order_by(Stage.election_id, Stage.position)).scalars().all()
    form.stage_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(
            str(s.id),
            f"{s.position}. {s.display_name(_locale())}",
            {"data-election": s.election_id},
            names.get(s.election_id),
        )
        for s in stages
    ]
    current_meeting = [issue.meeting_id] if issue is not None and issue.meeting_id else []
    meetings = (
        db.session.execute(
            db.select(Meeting)
            .where(keep(Meeting, Meeting.is_archived.is_(False), current_meeting))
            .order_by(Meeting.start_dt.desc())
            .limit(300)
        )
        .scalars()
        .all()
    )
    form.meeting_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(
            str(m.id), f"{m.start_dt:%Y-%m-%d} · {m.title}", {"data-election": m.election_id}, names.get(m.election_id)
        )
        for m in meetings
    ]
    form.owner_id.choices = _owner_choices(user, issue)
    current_orgs = [o.id for o in issue.organizations] if issue is not None else []
    orgs = (
        db.session.execute(
            db.select(Organization)
            .where(keep(Organization, Organization.is_active.is_(True), current_orgs))
            .order_by(Organization.category, Organization.name)
        )
        .scalars()
        .all()
    )
    form.organization_ids.choices = [SelectChoice(str(o.id), o.name, {}, label("category", o.category)) for o in orgs]
    current_contacts = [c.id for c in issue.contacts] if issue is not None else []
    contacts = (
        db.session.execute(
            db.select(Contact)
            .join(Contact.organization)
            .options(joinedload(Contact.organization))
            .where(keep(Contact, Contact.is_active.is_(True), current_contacts))
            .order_by(Organization.name, Contact.name)
        )
        .scalars()
        .all()
    )
    form.contact_ids.choices = [
        SelectChoice(str(c.id), f"{c.name} ({c.position})" if c.position else c.name, {}, c.organization.label)
        for c in contacts
    ]


def _owner_choices(user, issue) -> list[SelectChoice]:
    nobody = SelectChoice("", str(_l("Nobody yet")))
    if permissions.can_reassign(user):
        current = [issue.owner_id] if issue is not None and issue.owner_id else []
        users = (
            db.session.execute(
                db.select(User).where(db.or_(User.is_active.is_(True), User.id.in_(current))).order_by(User.name)
            )
            .scalars()
            .all()
        )
        return [nobody] + [SelectChoice(str(u.id), u.name) for u in users]
    options = []
    if issue is not None and issue.owner is not None and issue.owner_id != user.id:
        options.append(SelectChoice(str(issue.owner_id), issue.owner.name))
    elif issue is None or issue.owner_id is None:
        options.append(nobody)
    return options + [SelectChoice(str(user.id), user.name)]


def _locale() -> str:
    return str(get_locale() or "id")


def _visibility_field(field_id: str | None = None) -> RadioField:
    """Who may read an entry besides staff: internal (the default) or shared with the responsible contacts."""
    return RadioField(
        _l("Who may read it"),
        choices=[
            SelectChoice(INTERNAL, _l("Internal: KPU staff only")),
            SelectChoice(SHARED, _l("Shared with this issue's responsible contacts")),
        ],
        default=INTERNAL,
        invalid_choice_message=UNKNOWN,
        id=field_id,
    )


class FollowUpForm(SubmitOnceMixin, TranslatedForm):
    kind = RadioField(
        _l("Kind"),
        choices=[SelectChoice("comment", _l("Comment")), SelectChoice("action", _l("Action"))],
        default="comment",
        invalid_choice_message=UNKNOWN,
    )
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_TEXT, message=TOO_LONG)],
        description=_l("Markdown: **bold**, *italic*, lists and links."),
        render_kw=MARKDOWN,
    )
    action_due_date = DateField(
        _l("Action due date"), validators=[RequiredWhen(_l("Required for an action.")), Optional()]
    )
    visibility = _visibility_field()

    def setup(self, today: date) -> "FollowUpForm":
        """Remember today, for the due-date rule."""
        self._today = today
        return self

    def validate(self, extra_validators=None) -> bool:
        """An action needs a due date that is not far in the past (Optional() would skip a field check)."""
        valid = super().validate(extra_validators)
        field = self.action_due_date
        if self.kind.data != "action" or field.errors:
            return valid
        problem = (
            _l("An action needs a due date.")
            if field.data is None
            else services.due_date_problem(field.data, self._today)
        )
        if problem:
            field.errors = [*field.errors, problem]
            return False
        return valid

    def values(self) -> dict:
        """Return the input as services.add_follow_up takes it."""
        is_action = self.kind.data == "action"
        return {
            "kind": self.kind.data,
            "body": self.body.data.strip(),
            "action_due_date": self.action_due_date.data if is_action else None,
            "visibility": self.visibility.data,
        }


class StatusForm(SubmitOnceMixin, TranslatedForm):
    status = _select(_l("New status"), choices=[SelectChoice(v, t) for v, t in choices("status")])
    from_status = HiddenField()  # the status the page showed: the move is made from it or not at all
    reason = TextAreaField(
        _l("Note or reason"),
        validators=[RequiredWhen(_l("Required when reopening an issue.")), Length(max=MAX_TEXT, message=TOO_LONG)],
    )
    visibility = _visibility_field("status-visibility")
