"""Streamed CSV and XLSX downloads that hold one chunk of rows in memory, never the whole list.

CSV is written by a generator (``csv.writer`` over plain tuples) as the rows arrive from the
database. XLSX is written with xlsxwriter in constant-memory mode (each row goes straight to a
temporary file), then streamed from the finished file, which has no name on disk. The sheet
has a bold, frozen header row with an autofilter, column widths fitted to the first rows, and
dates as real Excel dates. Text cells that a spreadsheet would run as a formula are neutralised.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from itertools import chain, islice
from zoneinfo import ZoneInfo

import xlsxwriter
from flask import Response, stream_with_context
from flask_babel import gettext as _

from coordapp.core.cells import FORMULA_STARTS
from coordapp.core.validation import CONTROLS

FORMATS = ("csv", "xlsx")
CSV_CHUNK = 64 * 1024  # bytes of CSV text gathered before a chunk is sent
FILE_CHUNK = 256 * 1024
WIDTH_SAMPLE = 200  # rows read to fit the column widths
MIN_WIDTH, MAX_WIDTH = 6, 60
MIMETYPES = {
    "csv": "text/csv",  # Response adds "; charset=utf-8" to text types
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,  # never: text is text
    "strings_to_urls": False,
    "remove_timezone": True,
}


def neutralise(value):
    """Return text a spreadsheet would read as a formula with a leading apostrophe; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: str, _remove=CONTROLS.sub, _starts=FORMULA_STARTS) -> str:
    if not value.isprintable():  # printable text holds no control character: most cells skip the search
        value = _remove("", value)  # a control character pasted from Word would break the XLSX
    return "'" + value if value.startswith(_starts) else value


def _sheet_text(value: str) -> str:
    value = _text(value)  # then line ends as Excel writes them: a bare CR would show as _x000D_
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


class _Cells:
    """Turn database values into what cells hold: local times, yes/no, text (translated once per export).

    Conversions are looked up by the value's type, so a row costs one dictionary lookup per cell.
    """

    def __init__(self, tz: str, for_xlsx: bool):
        self.zone = ZoneInfo(tz)
        yes, no = _("yes"), _("no")
        self.by_type = {
            str: _sheet_text if for_xlsx else _text,
            bool: lambda v: yes if v else no,
            datetime: self._local if for_xlsx else self._local_text,
        }
        if not for_xlsx:
            self.by_type[date] = date.isoformat

    def _aware(self, value: datetime) -> datetime:
        try:
            return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(self.zone)
        except OverflowError:  # hours from the year 1 or 9999 (a bad row): shown in UTC rather than failing
            return value

    def _local(self, value: datetime) -> datetime:
        return self._aware(value).replace(tzinfo=None, microsecond=0)

    def _local_text(self, value: datetime) -> str:
        return self._aware(value).isoformat(sep=" ", timespec="minutes")[:16]

    def row(self, values: tuple) -> list:
        """Return one row's cells (None stays None: csv.writer writes it as an empty field)."""
        table = self.by_type
        return [f(v) if (f := table.get(type(v))) is not None else v for v in values]


def csv_chunks(headers: list[str], rows: Iterable[tuple], tz: str) -> Iterator[bytes]:
    """Yield a UTF-8 CSV (with a byte-order mark, so Excel reads Indonesian text right) in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(h)) for h in headers])
    convert = _Cells(tz, for_xlsx=False).row
    yield "\ufeff".encode()
    writerow, size = writer.writerow, buffer.tell
    for row in rows:
        writerow(convert(row))
        if size() >= CSV_CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _widths(headers: list[str], sample: list[list]) -> list[int]:
    """Return a width per column: its longest header or cell line in the sample, within bounds."""
    widths = [len(str(h)) + 3 for h in headers]  # room for the autofilter button
    for row in sample:
        for i, value in enumerate(row):
            if isinstance(value, str):
                size = max(map(len, value.splitlines()), default=0)
            elif isinstance(value, datetime):
                size = 16
            elif isinstance(value, date):
                size = 10
            else:
                size = len(str(value)) if value is not None else 0
            widths[i] = max(widths[i], size + 1)
    return [min(max(w, MIN_WIDTH), MAX_WIDTH) for w in widths]


def write_xlsx(headers: list[str], rows: Iterable[tuple], tz: str, title: str, handle) -> None:
    """Write rows to an open binary file as one sheet, row by row (xlsxwriter constant-memory mode)."""
    workbook = xlsxwriter.Workbook(handle, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    formats = {datetime: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
    formats[date] = workbook.add_format({"num_format": "yyyy-mm-dd"})
    convert = _Cells(tz, for_xlsx=True).row
    rows = map(convert, rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for i, width in enumerate(_widths(headers, sample)):
        sheet.set_column(i, i, width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [str(h) for h in headers], bold)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    last = 0
    for last, row in enumerate(chain(sample, rows), start=1):
        for col, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(last, col, value)
            elif kind is int or kind is float:
                write_number(last, col, value)
            elif kind in formats:
                write_datetime(last, col, value, formats[kind])
            elif value is not None:
                write_string(last, col, str(value))
    sheet.autofilter(0, 0, last, max(len(headers) - 1, 0))
    workbook.close()


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
        size = handle.seek(0, io.SEEK_END)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = Response(_file_chunks(handle), mimetype=MIMETYPES["xlsx"], headers=disposition, direct_passthrough=True)
    response.content_length = size
    response.call_on_close(handle.close)
    return response
