"""Forms of the managers' pages: the scorecard period and saved filters."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coordapp.dashboard import services
from coordapp.forms import REQUIRED, TOO_LONG, TranslatedForm


class PeriodForm(TranslatedForm):
    """The scorecard's optional date range, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def validate_end(self, field):
        """Refuse a range that ends before it starts."""
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


class SavedFilterForm(TranslatedForm):
    """Name a filter (new or existing) and choose whether all managers see it."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(REQUIRED), Length(max=120, message=TOO_LONG)],
        description=_l("For example: Campaign, high and critical, overdue"),
    )
    is_shared = BooleanField(_l("Share with all managers"))
    query = HiddenField()  # the filter's query string, for a new saved filter

    def __init__(self, *args, user_id: int, filter_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_id, self._filter_id = user_id, filter_id

    def validate_name(self, field):
        """Keep each user's filter names unique."""
        field.data = " ".join((field.data or "").split())
        if field.data and services.name_taken(self._user_id, field.data, self._filter_id):
            raise ValidationError(_l("You already have a saved filter with this name."))
