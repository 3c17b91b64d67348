"""Spreadsheet cells that cannot run: text starting like a formula gets a leading apostrophe."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Return a cell a spreadsheet will not run as a formula (a leading ' makes it text)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
