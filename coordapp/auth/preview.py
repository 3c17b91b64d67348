"""The "Preview" tab of Markdown fields: the text rendered as it will be saved, for signed-in users.

It lives with the signed-in users' routes (core, which renders Markdown, sits below the access
decorators). The preview uses core.text.render_markdown, the very function the saved text goes through.
"""

from flask import current_app, request
from flask_babel import gettext as _
from markupsafe import Markup, escape

from coordapp.auth import bp
from coordapp.auth.access import login_required
from coordapp.core.text import render_markdown
from coordapp.extensions import limiter

PREVIEW_MAX = 100_000  # the longest Markdown field (the minutes)


def _fragment(html: str, status: int = 200):
    return html, status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


@bp.post("/markdown-preview")
@login_required
@limiter.limit(lambda: current_app.config.get("PREVIEW_RATE_LIMIT", "60 per minute"))
def markdown_preview():
    """Render the posted Markdown `text` with the saved text's sanitiser; answer the HTML fragment."""
    text = request.form.get("text", "")
    if len(text) > PREVIEW_MAX:
        message = _("This text is too long to preview (at most %(n)d characters).", n=PREVIEW_MAX)
        return _fragment(Markup('<p class="error">%s</p>') % escape(message), 413)
    if not text.strip():
        return _fragment(Markup('<p class="muted">%s</p>') % _("Nothing to preview yet."))
    return _fragment(render_markdown(text))
