"""Forms of the commitments feature: a new commitment, a status move, a contact's progress report."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from coordapp.commitments.services import NOTE_MAX, TEXT_MAX, CommitmentInput
from coordapp.issues.forms import TranslatedForm

REQUIRED = _l("This field is required.")


def _id(value) -> int | None:
    """Read an id from a form value; junk becomes 0, an id nothing has, so the service names it."""
    if value in (None, "", "None"):
        return None
    return int(value) if str(value).strip().isdigit() else 0


class CommitmentForm(TranslatedForm):
    parent_type = HiddenField()
    parent_id = HiddenField()
    text = TextAreaField(_l("What was agreed"), validators=[InputRequired(message=REQUIRED), Length(max=TEXT_MAX)])
    organization_id = SelectField(_l("Responsible organization"), coerce=_id, validate_choice=False)
    contact_id = SelectField(_l("Responsible contact"), coerce=_id, validate_choice=False)
    due_date = DateField(_l("Due date"), validators=[InputRequired(message=REQUIRED)])

    def load_choices(self, organizations, contacts) -> None:
        """Fill the organization and contact choices."""
        self.organization_id.choices = [SelectChoice("", "–")] + [SelectChoice(o.id, o.name) for o in organizations]
        self.contact_id.choices = [SelectChoice("", _l("Nobody in particular"))] + [
            SelectChoice(c.id, f"{c.name} ({c.organization.label})") for c in contacts
        ]

    def to_input(self) -> CommitmentInput:
        """Return what the user gave, for the service."""
        return CommitmentInput(
            text=self.text.data or "",
            organization_id=self.organization_id.data,
            contact_id=self.contact_id.data,
            due_date=self.due_date.data,
        )


class CommitmentStatusForm(TranslatedForm):
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("open", _l("open")),
            SelectChoice("done", _l("done")),
            SelectChoice("dropped", _l("dropped")),
        ],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)])


class ProgressForm(TranslatedForm):
    commitment = HiddenField()
    body = TextAreaField(_l("Progress"), validators=[InputRequired(message=REQUIRED), Length(max=NOTE_MAX)])
    done = BooleanField(_l("Done"))
