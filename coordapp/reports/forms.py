"""Forms of the reports pages: a report's text, a budget line, the budget import, a new version, the channel log."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from coordapp.core.labels import choices
from coordapp.forms import MARKDOWN
from coordapp.issues.forms import REQUIRED, TOO_LONG, UNKNOWN, TranslatedForm, optional_int
from coordapp.reports.budget_import import parse_amount

NOT_A_NUMBER = _l("Write a whole number without dots or spaces.")
NOT_NEGATIVE = _l("The number cannot be negative.")


def _people(label):
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=0, max=10**10, message=NOT_NEGATIVE)],
        render_kw={"inputmode": "numeric"},
    )


def stage_choices(election) -> list[tuple[str, str]]:
    """Return the stages of an election as select options, with an empty first option."""
    return [("", "—")] + [(str(s.id), f"{s.position}. {s.name}") for s in election.stages]


class ReportForm(TranslatedForm):
    """A report's title, scope, narrative and participation figures (a draft only)."""

    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])
    stage_id = SelectField(
        _l("Stage"),
        coerce=optional_int,
        validate_choice=True,
        invalid_choice_message=UNKNOWN,
        invalid_value_message=UNKNOWN,
        description=_l("Empty: a report on the whole election."),
    )
    narrative = TextAreaField(
        _l("Narrative"),
        validators=[Length(max=50_000, message=TOO_LONG)],
        description=_l("Markdown: ## for a section heading, - for a list item, **bold**."),
        render_kw={"rows": 14, **MARKDOWN},
    )
    registered_voters = _people(_l("Registered voters"))
    voters_turnout = _people(_l("Voters who voted"))
    previous_registered_voters = _people(_l("Registered voters, previous election"))
    previous_turnout = _people(_l("Voters who voted, previous election"))

    def __init__(self, election, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_id.choices = stage_choices(election)

    def data_for_service(self) -> dict:
        """Return the fields the services take."""
        names = ("title", "narrative", "registered_voters", "voters_turnout")
        names += ("previous_registered_voters", "previous_turnout")
        return {name: getattr(self, name).data for name in names}


class AmountField(StringField):
    """Whole rupiah, written 1234567, 1.234.567 or Rp 1.234.567."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw.strip():
            try:
                self.data = parse_amount(self.raw)
            except ValueError as exc:
                raise ValueError(str(exc)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if self.data is not None else ""


class BudgetLineForm(TranslatedForm):
    """One line of the budget realisation."""

    account_code = StringField(
        _l("Account or activity code"), validators=[DataRequired(REQUIRED), Length(max=40, message=TOO_LONG)]
    )
    description = StringField(_l("Description"), validators=[DataRequired(REQUIRED), Length(max=300, message=TOO_LONG)])
    stage_id = SelectField(
        _l("Stage"), coerce=optional_int, invalid_choice_message=UNKNOWN, invalid_value_message=UNKNOWN
    )
    allocated = AmountField(_l("Allocated (Rp)"), render_kw={"inputmode": "numeric"})
    realised = AmountField(_l("Realised (Rp)"), render_kw={"inputmode": "numeric"})
    variance_note = TextAreaField(
        _l("Explanation of the variance"), validators=[Length(max=2000, message=TOO_LONG)], render_kw={"rows": 2}
    )

    def __init__(self, election, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_id.choices = stage_choices(election)

    def validate_allocated(self, field):
        """Require an amount."""
        if field.data is None:
            raise ValidationError(REQUIRED)

    validate_realised = validate_allocated

    def data_for_service(self) -> dict:
        """Return the fields the services take."""
        names = ("account_code", "description", "stage_id", "allocated", "realised", "variance_note")
        return {name: getattr(self, name).data for name in names}


class BudgetImportForm(TranslatedForm):
    """A CSV or XLSX file of budget lines, replacing the draft's lines."""

    file = FileField(_l("File (CSV or XLSX)"), validators=[FileRequired(REQUIRED)])


class NewVersionForm(TranslatedForm):
    """Start a correction: say what it changes."""

    change_note = TextAreaField(
        _l("What this version corrects"),
        validators=[DataRequired(REQUIRED), Length(max=2000, message=TOO_LONG)],
        description=_l("Shown with the new version on the public page and in the PDF."),
        render_kw={"rows": 3},
    )


class ChannelPostForm(TranslatedForm):
    """Where a published report went."""

    channel = SelectField(
        _l("Channel"), choices=choices("channel"), invalid_choice_message=UNKNOWN, invalid_value_message=UNKNOWN
    )
    url = URLField(
        _l("Link"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
        description=_l("The post, article or page; empty for radio or a notice board."),
    )
    posted_date = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    note = StringField(_l("Note"), validators=[Length(max=300, message=TOO_LONG)])

    def validate_url(self, field):
        """Accept only web addresses."""
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Give a web address starting with https://."))
