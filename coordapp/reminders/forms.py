"""Forms of the reminders feature: the stakeholder reply and the admin policy."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coordapp.forms import TranslatedForm, at_most
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
    """The reply page: one answer box per issue (each optional, at least one written) and 'done' ticks.

    Build it with ``reply_form(issues)``, which adds the issues' answer fields.
    """

    done = CheckboxesField(_l("We have followed this up"))
    issue_ids: list[int] = []

    def answer_field(self, issue_id: int):
        """Return the answer box of one issue."""
        return self[f"answer_{issue_id}"]

    def answers(self) -> dict[int, str]:
        """Return {issue id: answer} for the issues answered (empty boxes left out)."""
        texts = {i: (self.answer_field(i).data or "").strip() for i in self.issue_ids}
        return {i: text for i, text in texts.items() if text}

    def validate(self, extra_validators=None) -> bool:
        """Require one answer at least, and an answer on each issue ticked 'done'."""
        valid = super().validate(extra_validators)
        answers = self.answers()
        for issue_id in self.done.data or []:
            if issue_id in self.issue_ids and issue_id not in answers:
                self.answer_field(issue_id).errors.append(_l("Write what you have done or need."))
                valid = False
        if valid and not answers:
            self.form_errors.append(_l("Write an answer to at least one issue."))
            valid = False
        return valid


def reply_form(issues, **kwargs) -> ReplyForm:
    """Return the reply form of these issues: an empty answer box and an unticked 'done' box for each."""

    class IssueReplyForm(ReplyForm):
        pass

    for issue in issues:
        setattr(IssueReplyForm, f"answer_{issue.id}", TextAreaField(_l("Your answer"), validators=[at_most(5000)]))
    form = IssueReplyForm(**kwargs)
    form.issue_ids = [issue.id for issue in issues]
    form.done.choices = [(issue.id, issue.title) for issue in issues]
    return form


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
