"""Forms for elections and stages."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from coordapp.core.labels import choices
from coordapp.core.validation import InputRules

PHASE_CHOICES = [SelectChoice(value, label) for value, label in choices("phase")]


class ElectionForm(InputRules, FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short code"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use lower-case letters, digits and hyphens only.")),
        ],
    )
    region = StringField(_l("Region"), validators=[Length(max=120)])
    timezone = StringField(_l("Timezone"), default="Asia/Jakarta", validators=[DataRequired()])
    voting_date = DateField(_l("Voting day"), validators=[Optional()])
    is_active = BooleanField(_l("Active"), default=True)
    template = SelectField(
        _l("Stages"),
        choices=[
            SelectChoice("pilkada", _l("Seed from the Pilkada stage template")),
            SelectChoice("", _l("Start without stages")),
        ],
        default="pilkada",
    )

    def validate_timezone(self, field):
        """Accept IANA timezone names only."""
        if field.data not in available_timezones():
            raise ValidationError(_l("Unknown timezone; use a name such as Asia/Jakarta."))


class StageForm(InputRules, FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[a-z0-9_]+$", message=_l("Use lower-case letters, digits and underscores only.")),
        ],
    )
    name = StringField(_l("Name (Indonesian)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=200)])
    phase = SelectField(_l("Phase"), choices=PHASE_CHOICES)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])

    def validate_end_date(self, field):
        """Refuse an end before the start."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date is before the start date."))
