"""Forms of the quarantine: attach a held message to an issue, or discard it."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import NumberRange

from coordapp.forms import TranslatedForm, required

NO_SUCH_ISSUE = _l("There is no issue with this number.")


class AssignForm(TranslatedForm):
    """Attach a quarantined message to an issue by its number."""

    issue_id = IntegerField(_l("Issue number"), validators=[required(), NumberRange(min=1, message=NO_SUCH_ISSUE)])


class DiscardForm(TranslatedForm):
    """Discard a quarantined message (CSRF only)."""
