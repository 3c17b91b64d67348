"""The one date-and-time format of each language, from Babel's locale data (templates, history lines, emails)."""

from flask_babel import get_locale


def datetime_pattern() -> str:
    """Return the one date-and-time pattern of the reader's language, from Babel's locale data.

    Its medium date (four-digit year, month as a word) and its short time (no seconds):
    "7 Des 2026 22.46", "Dec 7, 2026, 10:46 PM".
    """
    locale = get_locale()
    if locale is None:  # no app context: Babel's own medium format
        return "medium"
    joined = str(locale.datetime_formats["medium"])
    return joined.replace("{1}", locale.date_formats["medium"].pattern).replace(
        "{0}", locale.time_formats["short"].pattern
    )
