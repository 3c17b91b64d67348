"""Streamed CSV and XLSX downloads that hold one chunk of rows in memory, never the whole list.

CSV is written by a generator as the rows arrive from the database. XLSX is written with
openpyxl's write-only workbook (rows go straight to a temporary file), then streamed from
that file, which is unlinked at once so nothing is left behind. Text cells that a
spreadsheet would run as a formula are neutralised.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from flask import Response, stream_with_context
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from coordapp.core.cells import FORMULA_STARTS
from coordapp.core.time import to_local
from coordapp.core.validation import strip_controls

FORMATS = ("csv", "xlsx")
CSV_CHUNK = 64 * 1024  # bytes of CSV text gathered before a chunk is sent
FILE_CHUNK = 256 * 1024
MIMETYPES = {
    "csv": "text/csv",  # Response adds "; charset=utf-8" to text types
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value):
    """Return text a spreadsheet would read as a formula with a leading apostrophe; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Cells:
    """Turn database values into what cells hold: local times, yes/no, text (translated once per export)."""

    def __init__(self, tz: str, for_xlsx: bool):
        self.tz, self.for_xlsx = tz, for_xlsx
        self.yes, self.no = _("yes"), _("no")

    def __call__(self, value):
        if value is None:
            return None if self.for_xlsx else ""
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, datetime):
            local = to_local(value, self.tz).replace(tzinfo=None, microsecond=0)
            return local if self.for_xlsx else local.isoformat(sep=" ", timespec="minutes")
        if isinstance(value, date):
            return value if self.for_xlsx else value.isoformat()
        return neutralise(strip_controls(value))  # a control character pasted from Word would break the XLSX


def csv_chunks(headers: list[str], rows: Iterable[tuple], tz: str) -> Iterator[bytes]:
    """Yield a UTF-8 CSV (with a byte-order mark, so Excel reads Indonesian text right) in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(h)) for h in headers])
    cell = _Cells(tz, for_xlsx=False)
    yield "\ufeff".encode()
    for row in rows:
        writer.writerow([cell(v) for v in row])
        if buffer.tell() >= CSV_CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_xlsx(headers: list[str], rows: Iterable[tuple], tz: str, title: str, handle) -> None:
    """Write rows to an open binary file as one sheet, row by row (openpyxl write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    sheet.freeze_panes = "A2"
    cell = _Cells(tz, for_xlsx=True)
    for row in rows:
        sheet.append([cell(v) for v in row])
    workbook.save(handle)


def _file_chunks(handle) -> Iterator[bytes]:
    try:
        while chunk := handle.read(FILE_CHUNK):
            yield chunk
    finally:
        handle.close()


def download(fmt: str, filename: str, headers: list[str], rows: Iterable[tuple], tz: str, title: str) -> Response:
    """Return a streamed download of rows as CSV or XLSX (filename without extension)."""
    disposition = {"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'}
    if fmt == "csv":
        return Response(
            stream_with_context(csv_chunks(headers, rows, tz)), mimetype=MIMETYPES["csv"], headers=disposition
        )
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it; no name on disk
    try:
        write_xlsx(headers, rows, tz, title, handle)
        size = handle.tell()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = Response(_file_chunks(handle), mimetype=MIMETYPES["xlsx"], headers=disposition, direct_passthrough=True)
    response.content_length = size
    response.call_on_close(handle.close)
    return response
