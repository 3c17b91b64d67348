"""Input checks shared by every feature: bounded numbers and dates, text without control characters.

Whatever a form or a hand-edited URL sends, a page answers 200 or a clear 4xx, never 500. The
request class below strips control characters from every query and form value on the way in
(NUL would be refused by PostgreSQL, VT or ESC break XLSX exports and email headers); the
parsers bound ids, numbers and dates to what the database and ``datetime`` can hold.
"""

import re
import unicodedata
from datetime import date

from flask import Request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter
from wtforms import DateField, DateTimeField, PasswordField, StringField, TextAreaField

MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id cannot exist
MAX_DIGITS = 10
MIN_YEAR, MAX_YEAR = 1900, 2100
# C0 and C1 controls, DEL, and the Unicode line/paragraph separators, but not tab, newline and CR.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# What may not appear in a name or subject that ends up in an email header.
_HEADER_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
OUT_OF_RANGE_DATE = _l("Enter a date between the years %(low)d and %(high)d.")
HEADER_UNSAFE = _l("Line breaks and control characters are not allowed here.")


def clean_text(value):
    """Return text without control characters (tab and newline kept; CR LF and lone CR become newlines)."""
    if not isinstance(value, str):
        return value
    return strip_controls(value.replace("\r\n", "\n").replace("\r", "\n"))


def strip_controls(value):
    """Return text without the control characters that XML, spreadsheets and databases refuse (tab, LF, CR kept)."""
    return CONTROLS.sub("", value) if isinstance(value, str) else value


def one_line(value: str | None) -> str:
    """Return text as one line for an email header or a calendar field: controls gone, whitespace runs one space."""
    return " ".join(clean_text(value or "").split())


def is_header_safe(value: str | None) -> bool:
    """Tell whether text can go into an email header: no line break, no control character."""
    return not value or _HEADER_UNSAFE.search(value) is None


def parse_int(value, low: int = 0, high: int = MAX_ID) -> int | None:
    """Read ASCII digits (a leading minus allowed) as an int in [low, high]; else None (², 4,300 digits)."""
    text = str(value if value is not None else "").strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > MAX_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(value) -> int | None:
    """Read a database id (1 to MAX_ID), or None."""
    return parse_int(value, low=1)


def bounded_id(value) -> int:
    """Coerce a select's value to an id the database can hold; ValueError (an invalid choice) for anything else."""
    number = parse_id(value)
    if number is None:
        raise ValueError(f"not an id: {str(value)[:20]!r}")
    return number


def parse_ids(values) -> list[int]:
    """Read the valid ids among values, each once, in order."""
    out = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in out:
            out.append(number)
    return out


def parse_page(value) -> int:
    """Read a page number: 1 unless value is a sensible positive number."""
    return parse_int(value, low=1, high=1_000_000) or 1


def date_in_range(value: date | None) -> bool:
    """Tell whether a date (or date and time) lies in the years the application accepts (1900-2100)."""
    return value is None or not isinstance(value, date) or MIN_YEAR <= value.year <= MAX_YEAR


def parse_date(value) -> date | None:
    """Read an ISO date (YYYY-MM-DD) between 1900 and 2100, or None."""
    text = str(value or "").strip()
    if len(text) != 10 or not text.isascii():
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if date_in_range(day) else None


def fold_key(name: str | None) -> str:
    """Return the key two names share when they differ only in case, accents' encoding or spacing."""
    text = unicodedata.normalize("NFKC", name or "")
    return " ".join(text.casefold().split())


# Forms: the input rules every form applies.


class InputRules:
    """Form mixin (put it before FlaskForm): one-line text fields refuse line breaks and control
    characters, date fields refuse years outside 1900-2100. Meant to be folded into the base form."""

    def validate(self, extra_validators=None) -> bool:
        """Validate as usual, then apply the input rules to every field."""
        valid = super().validate(extra_validators)
        for field in self:
            problem = None
            if isinstance(field, DateField | DateTimeField) and not date_in_range(field.data):
                problem = OUT_OF_RANGE_DATE % {"low": MIN_YEAR, "high": MAX_YEAR}
            elif _one_line(field) and isinstance(field.data, str) and not is_header_safe(field.data):
                problem = HEADER_UNSAFE
            if problem is not None:
                field.errors = [*field.errors, problem]
                valid = False
        return valid


def _one_line(field) -> bool:
    return isinstance(field, StringField) and not isinstance(field, TextAreaField | PasswordField)


# The request side: every query and form value is cleaned before anything reads it.


class CleanMultiDict(ImmutableMultiDict):
    """Query args and form values with control characters removed."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            pairs = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            pairs = mapping.items()
        else:
            pairs = mapping or ()
        super().__init__([(clean_text(key), clean_text(value)) for key, value in pairs])

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        """Return the value of key; with type=int only a number the database can hold (else default)."""
        if type is int:
            number = parse_int(super().get(key), low=-MAX_ID)
            return default if number is None else number
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002 - werkzeug's signature
        """Return the values of key; with type=int only the numbers the database can hold."""
        if type is int:
            return [n for n in (parse_int(v, low=-MAX_ID) for v in super().getlist(key)) if n is not None]
        return super().getlist(key, type)


class CleanRequest(Request):
    """A request whose args and form hold no control characters other than tab and newline."""

    parameter_storage_class = CleanMultiDict


class BoundedIntConverter(IntegerConverter):
    """The ``int`` URL converter, limited to ids the database can hold: a 20-digit id is a 404."""

    regex = r"\d{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
