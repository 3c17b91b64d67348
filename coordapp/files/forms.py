"""Forms of the files feature: an upload, a publish switch."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from coordapp.forms import TranslatedForm


class UploadForm(TranslatedForm):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])


class PublishForm(TranslatedForm):
    is_public = BooleanField(_l("Public"))
