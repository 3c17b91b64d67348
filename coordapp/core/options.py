"""<option>s rendered in one pass, for selects of thousands of rows (templates and cached filter panels)."""

from markupsafe import Markup, escape


def select_options(rows, selected=None) -> Markup:
    """Render <option>s of (value, text) rows in one pass (filter forms offer thousands of organizations)."""
    chosen = str(selected) if selected not in (None, "") else None
    parts = []
    for value, text in rows:
        value = str(value)
        mark = " selected" if value == chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(text)}</option>')
    return Markup("".join(parts))
