"""Money and figures as a report shows them, on a page and in the PDF alike."""

from babel.numbers import format_decimal

FIGURE_LOCALES = {"id": "id_ID", "en": "en_US"}


def rupiah(value: int | None) -> str:
    """Format whole rupiah the Indonesian way, in every language: Rp 1.234.567."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {abs(int(value)):,}".replace(",", ".")


def number(value: int | float | None, locale: str = "id") -> str:
    """Format a count or a figure with one decimal in locale, or a dash when there is none."""
    if value is None:
        return "–"
    pattern = "#,##0" if isinstance(value, int) else "#,##0.0"
    return format_decimal(value, format=pattern, locale=FIGURE_LOCALES.get(str(locale)[:2], "id_ID"))


def percent(value: float | None, locale: str = "id") -> str:
    """Format a percentage (already times 100) with one decimal, or a dash."""
    return "–" if value is None else number(float(value), locale) + "%"


def turnout_percent(voters: int | None, registered: int | None) -> float | None:
    """Return turnout as a percentage of registered voters, or None when either is missing."""
    if not voters or not registered:
        return None
    return voters * 100 / registered
