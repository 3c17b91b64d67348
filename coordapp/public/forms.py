"""The publishing form: a record's public title and summary, and what to do with them."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from coordapp.forms import MARKDOWN
from coordapp.issues.forms import TOO_LONG, TranslatedForm
from coordapp.public.publishing import SUMMARY_MAX, TITLE_MAX

ACTIONS = ("preview", "save", "propose", "publish", "unpublish")


class PublicTextForm(TranslatedForm):
    """Public title and summary; the button pressed says whether to preview, save, propose or publish."""

    public_title = StringField(
        _l("Public title"),
        validators=[Length(max=TITLE_MAX, message=TOO_LONG)],
        description=_l("Plain words for the public; the internal title is never shown."),
    )
    public_summary = TextAreaField(
        _l("Public summary"),
        validators=[Length(max=SUMMARY_MAX, message=TOO_LONG)],
        description=_l("What happened and what was agreed, without names of people or contact details (Markdown)."),
        render_kw=MARKDOWN,
    )
