"""The report as a PDF, rendered on the server from the version's own data (fpdf2, no system library).

The PDF is in Indonesian, the language of the documents sent to Pemkot and KPU RI. It uses the
PDF core fonts, which hold Latin-1 only: text is normalised to it (curly quotes and dashes
become plain ones, other characters lose their accents or become '?'), which Indonesian needs
nothing beyond.
"""

import re
import unicodedata

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from coordapp.core.time import to_local
from coordapp.reports.figures import FIGURE_KEYS, figure_labels
from coordapp.reports.formatting import number, percent, rupiah, turnout_percent

_REPLACE = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "..."}
_INLINE = re.compile(r"(\*\*|__|\*|_|`)")


def latin1(text: str | None) -> str:
    """Return text that the PDF core fonts can show."""
    text = "".join(_REPLACE.get(c, c) for c in (text or ""))
    text = unicodedata.normalize("NFKC", text)
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


class _Document(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.set_text_color(90)
        self.cell(0, 6, latin1(self.footer_text), align="L")
        self.cell(0, 6, latin1(_("Page %(n)d", n=self.page_no())), align="R")


def _heading(doc: FPDF, text: str, size: int = 13) -> None:
    doc.ln(3)
    doc.set_font("helvetica", "B", size)
    doc.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", size=10)


def _narrative(doc: FPDF, text: str) -> None:
    """Write Markdown as plain text: headings bold, list items with a dash, quotes and inline marks dropped."""
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            doc.multi_cell(0, 5, latin1(" ".join(paragraph)), new_x="LMARGIN", new_y="NEXT")
            doc.ln(2)
            paragraph.clear()

    for raw in (text or "").splitlines():
        line = _INLINE.sub("", re.sub(r"^>\s?", "", raw.strip())).strip()  # a quote reads as a plain paragraph
        if not line:
            flush()
        elif raw.lstrip().startswith("#"):
            flush()
            _heading(doc, line.lstrip("#").strip(), 11)
        elif re.match(r"^([-*+]|\d+[.)])\s", raw.strip()):
            flush()
            item = re.sub(r"^[-*+]\s", "- ", raw.strip())
            doc.multi_cell(0, 5, latin1(_INLINE.sub("", item)), new_x="LMARGIN", new_y="NEXT")
        else:
            paragraph.append(line)
    flush()


def _figures(doc: FPDF, figures: dict) -> None:
    labels = figure_labels()
    with doc.table(col_widths=(120, 60), text_align=("LEFT", "RIGHT"), first_row_as_headings=False) as table:
        for key in FIGURE_KEYS:
            value = figures.get(key)
            shown = percent(value) if key == "on_time_rate" else number(value)
            table.row((latin1(labels[key]), latin1(shown)))


def _participation(doc: FPDF, version) -> None:
    rows = []
    for label, voters, registered in (
        (_("This election"), version.voters_turnout, version.registered_voters),
        (_("Previous election"), version.previous_turnout, version.previous_registered_voters),
    ):
        if voters or registered:
            rows.append((label, number(registered), number(voters), percent(turnout_percent(voters, registered))))
    if not rows:
        return
    _heading(doc, _("Participation"))
    heading = (_("Election"), _("Registered voters"), _("Voters"), _("Turnout"))
    with doc.table(col_widths=(60, 45, 45, 30), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
        for row in (heading, *rows):
            table.row(tuple(latin1(c) for c in row))


def _budget(doc: FPDF, lines) -> None:
    _heading(doc, _("Budget realisation"))
    doc.set_font("helvetica", size=8)
    heading = (_("Code"), _("Description"), _("Allocated"), _("Realised"), "%", _("Variance explanation"))
    bold = FontFace(emphasis="BOLD")
    align = ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT")
    with doc.table(col_widths=(18, 50, 28, 28, 12, 44), text_align=align, headings_style=bold) as table:
        table.row(tuple(latin1(c) for c in heading))
        for line in lines:
            cells = (line.account_code, line.description, rupiah(line.allocated), rupiah(line.realised))
            table.row(tuple(latin1(c) for c in (*cells, percent(line.percent), line.variance_note)))
        allocated = sum(line.allocated for line in lines)
        realised = sum(line.realised for line in lines)
        share = realised * 100 / allocated if allocated else None
        total = ("", _("Total"), rupiah(allocated), rupiah(realised), percent(share), "")
        table.row(tuple(latin1(c) for c in total), style=bold)
    doc.set_font("helvetica", size=10)


def render(version) -> bytes:
    """Render a version (with its frozen figures) as a PDF, in Indonesian."""
    report = version.report
    election = report.election
    with force_locale("id"):
        doc = _Document(format="A4")
        doc.set_title(latin1(version.title))
        doc.set_author(latin1(election.name))
        doc.set_creation_date(version.approved_dt)
        doc.footer_text = f"{election.name} - {version.title} - " + _("version %(n)d", n=version.number)
        doc.set_auto_page_break(True, margin=18)
        doc.add_page()
        doc.set_font("helvetica", size=10)
        doc.set_text_color(60)
        doc.multi_cell(0, 5, latin1(election.name), new_x="LMARGIN", new_y="NEXT")
        scope = report.stage.name if report.stage else _("Whole election")
        doc.multi_cell(0, 5, latin1(_("Accountability report") + " - " + scope), new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0)
        _heading(doc, version.title, 16)
        approved = to_local(version.approved_dt, election.timezone)
        meta = _("Version %(n)d, approved on %(day)s", n=version.number, day=approved.strftime("%d-%m-%Y"))
        doc.multi_cell(0, 5, latin1(meta), new_x="LMARGIN", new_y="NEXT")
        if version.change_note:
            doc.multi_cell(0, 5, latin1(_("Change note") + ": " + version.change_note), new_x="LMARGIN", new_y="NEXT")
        doc.ln(2)
        _narrative(doc, version.narrative)
        _heading(doc, _("Figures"))
        _figures(doc, version.figures or {})
        _participation(doc, version)
        if version.budget_lines:
            _budget(doc, version.budget_lines)
            doc.set_font("helvetica", "I", 8)
            doc.multi_cell(0, 4, latin1(_("Amounts in rupiah.")), new_x="LMARGIN", new_y="NEXT")
        return bytes(doc.output())
