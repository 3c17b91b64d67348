"""The publication kit of a published report: a short text for social media, a share image, a QR code.

All three are made from the public projection of the version (``coordapp.core.visibility``),
so nothing in them can be more than the public page shows. Texts are in Indonesian: the
public of the city reads the channels in it.
"""

import io
import textwrap
from urllib.parse import quote

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont

from coordapp.core.urls import external_url
from coordapp.core.visibility import public_report
from coordapp.reports.formatting import percent

WIDTH, HEIGHT = 1200, 630
INK, PAPER, ACCENT, SOFT = (255, 255, 255), (122, 17, 26), (250, 204, 21), (246, 220, 222)


def report_url(report) -> str:
    """Return the public address of a report's newest published version."""
    return external_url("public_reports.report", report_id=report.id)


def key_figure(public: dict) -> str:
    """Return the figure the kit leads with: budget realised, else issues resolved, else meetings held."""
    budget = public["budget"]
    if budget["lines"]:
        return _("Budget realised: %(share)s", share=percent(budget["percent"]))
    figures = public["figures"]
    if figures.get("issues_raised"):
        return _(
            "%(resolved)d of %(raised)d issues resolved",
            resolved=figures["issues_resolved"],
            raised=figures["issues_raised"],
        )
    return _("%(n)d meetings held", n=figures.get("meetings_held") or 0)


def social_text(version) -> str:
    """Return the short Indonesian text for social media and WhatsApp, with the link."""
    with force_locale("id"):
        public = public_report(version)
        lines = [
            _("Accountability report published: %(title)s", title=public["title"]),
            f"{public['election']} - {public['stage'] or _('Whole election')}",
            key_figure(public) + ".",
        ]
        if public["version"] > 1:
            lines.append(_("Corrected version %(n)d.", n=public["version"]))
        lines.append(_("Read it and download the PDF: %(url)s", url=report_url(version.report)))
        return "\n".join(lines)


def whatsapp_link(text: str) -> str:
    """Return a link that opens WhatsApp with text ready to send."""
    return "https://wa.me/?text=" + quote(text)


def _font(size: int):
    return ImageFont.load_default(size=size)


def share_image(version) -> bytes:
    """Render the 1200x630 PNG shared with a post: title, stage, key figure, address."""
    with force_locale("id"):
        public = public_report(version)
        image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, WIDTH, 14), fill=ACCENT)
        draw.text((64, 56), _("Accountability report").upper(), font=_font(30), fill=ACCENT)
        draw.text((64, 100), public["election"], font=_font(32), fill=SOFT)
        y = 170
        for line in textwrap.wrap(public["title"], width=34)[:3]:
            draw.text((64, y), line, font=_font(60), fill=INK)
            y += 72
        stage = public["stage"] or _("Whole election")
        draw.text((64, max(y + 16, 400)), stage, font=_font(34), fill=SOFT)
        draw.text((64, 470), key_figure(public), font=_font(48), fill=ACCENT)
        footer = _("Version %(n)d", n=public["version"]) + " - " + report_url(version.report)
        draw.text((64, 566), footer, font=_font(26), fill=SOFT)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()


def qr_png(report, scale: int = 10) -> bytes:
    """Return a QR code (PNG) of the report's public address, for posters and notice boards."""
    out = io.BytesIO()
    segno.make(report_url(report), error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
