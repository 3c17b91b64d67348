"""The base form of every form module, and the messages the forms share."""

from urllib.parse import urlsplit

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Length, ValidationError

from coordapp.core.validation import InputRules

REQUIRED = _l("This field is required.")
# render_kw of a field whose text is Markdown: the page gives it a Write / Preview tab (static/js/markdown.js).
MARKDOWN = {"data-markdown": ""}
TOO_LONG = _l("Use at most %(max)d characters.")
UNKNOWN = _l("Choose one of the listed options.")
NOT_A_WEB_ADDRESS = _l("Enter a web address starting with https:// (or http://).")
# WTForms' own messages, listed so the catalog carries them (TranslatedForm looks them up there).
WTFORMS_MESSAGES = (_l("Not a valid date value."), _l("Not a valid choice."), _l("Invalid Choice: could not coerce."))


class _CatalogTranslations:
    """Look WTForms' built-in messages up in the application's catalog (WTForms ships no Indonesian)."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


class TranslatedForm(InputRules, FlaskForm):
    """The base of every form: CSRF from Flask-WTF, WTForms' own messages from the app's catalog, and the
    input rules (one-line fields refuse line breaks and control characters, dates stay within 1900-2100)."""

    class Meta:
        def get_translations(self, form):
            return _CatalogTranslations()


class RequiredWhen:
    """Mark a field the form requires only in some case, said in ``when`` (the form's own validate checks it).

    The shared field macro shows the required mark with the case in words beside the label.
    """

    field_flags = {"required_when": True}

    def __init__(self, when: str):
        self.when = when

    def __call__(self, form, field) -> None:
        return None  # a mark only: the rule lives in the form's validate, which knows the other fields


def required() -> DataRequired:
    """Return a required-field validator with the shared message."""
    return DataRequired(message=REQUIRED)


def at_most(n: int) -> Length:
    """Return a length validator with the shared message."""
    return Length(max=n, message=TOO_LONG)


def web_address(form, field) -> None:
    """Accept an empty value or a web link (http or https with a host), nothing a browser would run."""
    value = field.data or ""
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or "." not in (parts.hostname or "") or " " in value):
        raise ValidationError(NOT_A_WEB_ADDRESS)
