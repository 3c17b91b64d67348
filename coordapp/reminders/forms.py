"""Forms of the reminders feature: the stakeholder reply and the admin policy."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coordapp.forms import TranslatedForm
from coordapp.issues.models import PRIORITIES

WEEKDAYS = [
    SelectChoice(day, name)
    for day, name in enumerate(
        (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
    )
]


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes holding integer ids."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)


class ReplyForm(TranslatedForm):
    issues = CheckboxesField(
        _l("Issues this reply is about"), validators=[DataRequired(message=_l("Choose at least one issue."))]
    )
    done = CheckboxesField(_l("We have followed this up"))
    body = TextAreaField(
        _l("Your reply"), validators=[DataRequired(message=_l("Write what you have done or need.")), Length(max=5000)]
    )

    def chosen(self) -> tuple[list[int], list[int]]:
        """Return (issue ids, issue ids reported done); ticking done also chooses the issue."""
        done = list(self.done.data or [])
        issues = list(dict.fromkeys(list(self.issues.data or []) + done))
        return issues, done

    def validate_issues(self, field):
        """Accept a reply that ticks only 'done' on an issue."""
        if not field.data and self.done.data:
            field.data = list(self.done.data)


class PolicyForm(TranslatedForm):
    start_hour = IntegerField(_l("Sending starts at (hour)"), validators=[InputRequired(), NumberRange(0, 23)])
    end_hour = IntegerField(_l("Sending stops at (hour)"), validators=[InputRequired(), NumberRange(1, 24)])
    working_days = CheckboxesField(
        _l("Working days"), choices=WEEKDAYS, validators=[DataRequired(message=_l("Choose at least one working day."))]
    )
    skip_holidays = BooleanField(_l("No reminders on Indonesian public holidays"))
    meeting_reminder_days = IntegerField(
        _l("Remind meeting invitees (working days before; 0: never)"), validators=[Optional(), NumberRange(0, 10)]
    )

    def validate_end_hour(self, field):
        """Require the window to end after it starts."""
        if field.data is not None and self.start_hour.data is not None and field.data <= self.start_hour.data:
            raise ValidationError(_l("The end hour must be after the start hour."))


RULE_FIELDS = {
    "lead_days": (_l("Days before the due date"), 0, 60),
    "repeat_days": (_l("Repeat every (days)"), 1, 60),
    "escalate_after": (_l("Escalate after unanswered reminders (0: never)"), 0, 20),
}
for _priority in PRIORITIES:
    for _name, (_label, _low, _high) in RULE_FIELDS.items():
        setattr(
            PolicyForm,
            f"{_priority}_{_name}",
            IntegerField(_label, validators=[InputRequired(), NumberRange(_low, _high)]),
        )


class RsvpForm(TranslatedForm):
    answer = RadioField(
        _l("Will you attend?"),
        choices=[SelectChoice("yes", _l("Yes, I will attend")), SelectChoice("no", _l("No, I will not attend"))],
        validators=[InputRequired(message=_l("Choose whether you will attend."))],
    )
