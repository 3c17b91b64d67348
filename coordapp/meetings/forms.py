"""Forms of the meetings feature: the meeting, its minutes, its attendance."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, Optional

from coordapp.core.labels import choices
from coordapp.core.locking import VersionMixin
from coordapp.core.submissions import SubmitOnceMixin
from coordapp.core.validation import parse_int
from coordapp.forms import MARKDOWN, REQUIRED, TOO_LONG, TranslatedForm, web_address
from coordapp.meetings import services
from coordapp.meetings.services import MeetingInput

MARKDOWN_HINT = _l("Markdown: **bold**, *italic*, lists with -, links as [text](https://...).")


def _id(value) -> int | None:
    """Read an id from a form value; junk becomes 0, an id nothing has, so the service names it."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    return parse_int(value) or 0


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LocalDateTimeField(DateTimeLocalField):
    """A datetime-local input whose empty value is simply empty (InputRequired reports it)."""

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


def _when(label):
    return LocalDateTimeField(
        label,
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=_l("Enter a date and a time, for example 2020-09-28 09:00."),
    )


class MeetingForm(SubmitOnceMixin, VersionMixin, TranslatedForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[InputRequired(message=REQUIRED), Length(max=services.TITLE_MAX, message=TOO_LONG)],
    )
    election_id = SelectField(_l("Election"), coerce=_id, validate_choice=False)
    kind = SelectField(
        _l("Kind of meeting"),
        choices=[SelectChoice(v, lbl) for v, lbl in choices("meeting_kind")],
        validate_choice=False,
        default="rakor",
    )
    start = _when(_l("Start"))
    end = _when(_l("End"))
    stage_id = SelectField(
        _l("Stage"),
        coerce=_id,
        validate_choice=False,
        description=_l("Left empty, the stage whose dates contain the meeting's date is used."),
    )
    location = StringField(_l("Place"), filters=[_strip], validators=[Length(max=services.PLACE_MAX, message=TOO_LONG)])
    online_url = URLField(
        _l("Online meeting link"),
        filters=[_strip],
        validators=[Optional(), Length(max=services.URL_MAX, message=TOO_LONG)],
    )
    organizations = SelectMultipleField(_l("Organizations"), coerce=_id, validate_choice=False)
    contacts = SelectMultipleField(
        _l("Stakeholder attendees"),
        coerce=_id,
        validate_choice=False,
        description=_l("Contacts of any organization: type a name to find one; choose as many as needed."),
    )
    users = SelectMultipleField(_l("Staff attendees"), coerce=_id, validate_choice=False)
    agenda = TextAreaField(
        _l("Agenda"),
        description=MARKDOWN_HINT,
        validators=[Length(max=services.AGENDA_MAX, message=TOO_LONG)],
        render_kw=MARKDOWN,
    )
    is_public = BooleanField(_l("Publish on the public portal"))
    send_invitations = BooleanField(
        _l("Email the stakeholder attendees"),
        default=True,
        description=_l(
            "For a meeting still to come: new invitees get an invitation with a calendar file, "
            "and a change of time or place sends everyone an update."
        ),
    )

    def load_choices(self, elections, organizations, contacts_by_org, users, locale: str) -> None:
        """Fill the select fields; stage options carry their election and dates for the form's script."""
        self.election_id.choices = [SelectChoice(e.id, e.name) for e in elections]
        self.stage_id.choices = [SelectChoice("", _l("By the meeting's date"))] + [
            SelectChoice(
                s.id,
                f"{s.position}. {s.display_name(locale)}",
                optgroup=e.name,
                render_kw={
                    "data-election": e.id,
                    "data-start": s.start_date.isoformat() if s.start_date else "",
                    "data-end": s.end_date.isoformat() if s.end_date else "",
                },
            )
            for e in elections
            for s in e.stages
        ]
        self.organizations.choices = [SelectChoice(o.id, o.name) for o in organizations]
        self.contacts.choices = [
            SelectChoice(c.id, f"{c.name} – {c.position}" if c.position else c.name, optgroup=org.name)
            for org, group in contacts_by_org
            for c in group
        ]
        self.users.choices = [SelectChoice(u.id, u.name) for u in users]

    def validate_online_url(self, field):
        """Accept web links only (http or https with a host)."""
        web_address(self, field)

    def to_input(self) -> MeetingInput:
        """Return what the user gave, for the service."""
        return MeetingInput(
            election_id=self.election_id.data,
            stage_id=self.stage_id.data,
            title=self.title.data or "",
            kind=self.kind.data or "",
            start=self.start.data,
            end=self.end.data,
            location=self.location.data or "",
            online_url=self.online_url.data or "",
            agenda=self.agenda.data or "",
            organization_ids=[i for i in self.organizations.data or [] if i is not None],
            contact_ids=[i for i in self.contacts.data or [] if i is not None],
            user_ids=[i for i in self.users.data or [] if i is not None],
            is_public=self.is_public.data if "is_public" in self else None,
        )


class MinutesForm(SubmitOnceMixin, TranslatedForm):
    body = TextAreaField(
        _l("Minutes"),
        description=MARKDOWN_HINT,
        validators=[Length(max=services.MINUTES_MAX, message=TOO_LONG)],
        render_kw=MARKDOWN,
    )
    internal_notes = TextAreaField(
        _l("Internal notes"),
        description=_l("Only KPU staff read these notes: they are never sent to the attendees or published."),
        validators=[Length(max=services.MINUTES_MAX, message=TOO_LONG)],
        render_kw=MARKDOWN,
    )
    base_revision = HiddenField()  # the revision the editor started from

    @property
    def base_revision_id(self) -> int | None:
        """Return the id of the revision the editor started from (None: there were no minutes)."""
        return _id(self.base_revision.data)


class AttendanceForm(TranslatedForm):
    """Who of the invited came; the template renders one checkbox per attendee."""

    attended = SelectMultipleField(_l("Attended"), coerce=_id, validate_choice=False)

    @property
    def attended_ids(self) -> set[int]:
        """Return the attendee ids ticked."""
        return {i for i in self.attended.data or [] if i}


class SendMinutesForm(TranslatedForm):
    """Sending one minutes revision: a button (the CSRF token is the whole form)."""
