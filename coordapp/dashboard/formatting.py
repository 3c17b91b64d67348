"""Template filters for the managers' figures: days, shares and counts in the reader's locale."""
from flask import Flask
from flask_babel import format_decimal, format_percent


def days(value: float | int | None) -> str:
    """Format a number of days with one decimal, or a dash when there is none."""
    return "–" if value is None else format_decimal(value, format="#,##0.0")


def share(ratio) -> str:
    """Format a Ratio as a whole percentage, or a dash when nothing was measured."""
    return "–" if ratio.share is None else format_percent(ratio.share, format="#,##0%")


def count(value: int | None) -> str:
    """Format a count with the locale's thousands separator."""
    return format_decimal(value or 0, format="#,##0")


def init_app(app: Flask) -> None:
    """Make the filters available to every template."""
    app.add_template_filter(count, "figure")
    app.add_template_filter(days, "day_figure")
    app.add_template_filter(share, "share_figure")
