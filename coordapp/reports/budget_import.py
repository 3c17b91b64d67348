"""Import of a version's budget lines from CSV or XLSX: every line or none, problems by line and column.

The same shape as the stakeholder import (``coordapp.stakeholders.importer``), whose Problem,
ImportFailed and file checks it reuses: ``parse`` reads and checks the file against the
election's stages without writing; the caller replaces the lines and commits on success.
"""

import csv
import io
import re

from flask_babel import gettext as _
from openpyxl import load_workbook

from coordapp.stakeholders.importer import ImportFailed, Problem, decode, read_limited  # noqa: F401

COLUMNS = ("account_code", "description", "stage", "allocated", "realised", "variance_note")
REQUIRED = ("account_code", "description", "allocated", "realised")
LENGTHS = {"account_code": 40, "description": 300, "variance_note": 2000}
MAX_LINES = 1000
MAX_AMOUNT = 10**15  # a thousand trillion rupiah: anything larger is a typing error
_AMOUNT = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")


def parse_amount(raw) -> int:
    """Return whole rupiah from a cell: 1234567, 1.234.567, Rp 1.234.567 or 1.234.567,00."""
    if isinstance(raw, bool):
        raise ValueError(_("Write an amount in whole rupiah, e.g. 1.234.567."))
    if isinstance(raw, int | float):
        if raw != int(raw) or raw < 0:
            raise ValueError(_("Write an amount in whole rupiah, e.g. 1.234.567."))
        value = int(raw)
    else:
        text = str(raw).strip().removeprefix("Rp").removeprefix("rp").strip().replace(" ", "")
        text = text.removesuffix(",00")
        if not _AMOUNT.match(text):
            raise ValueError(_("Write an amount in whole rupiah, e.g. 1.234.567."))
        value = int(text.replace(".", ""))
    if value >= MAX_AMOUNT:
        raise ValueError(_("This amount is too large."))
    return value


def _rows(data: bytes) -> list[list]:
    """Return the file's rows of cells: the first sheet of a workbook, or a CSV file's lines."""
    if data.startswith(b"PK\x03\x04"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return [
                ["" if c is None else c for c in row]
                for row in sheet.iter_rows(max_row=MAX_LINES + 100, max_col=30, values_only=True)
            ]
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise ImportFailed([Problem(None, "", _("This workbook cannot be read. Save it again as .xlsx."))]) from exc
    text = decode(data)
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=header.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ImportFailed([Problem(None, "", _("The quotes in the file are broken."))]) from exc


def _header(cells: list, number: int) -> list[str]:
    names = [str(c).strip().lower().replace(" ", "_") for c in cells]
    problems = [
        Problem(
            number, str(c) or str(i + 1), _("Unknown column. The columns are: %(columns)s.", columns=", ".join(COLUMNS))
        )
        for i, (c, name) in enumerate(zip(cells, names, strict=True))
        if name and name not in COLUMNS
    ]
    problems += [Problem(number, name, _("This column is missing.")) for name in REQUIRED if name not in names]
    if problems:
        raise ImportFailed(problems)
    return names


def _line(number: int, names: list[str], cells: list, stages: dict) -> tuple[dict, list[Problem]]:
    row, problems = {"stage_id": None, "variance_note": ""}, []
    for name, raw in zip(names, cells, strict=False):  # short lines: missing cells are empty
        value = raw.strip() if isinstance(raw, str) else raw
        if name not in COLUMNS or value in ("", None):
            continue
        try:
            if name in ("allocated", "realised"):
                row[name] = parse_amount(value)
            elif name == "stage":
                key = str(value).strip().lower()
                if key not in stages:
                    raise ValueError(_("Unknown stage. Use a stage code of this election, or leave it empty."))
                row["stage_id"] = stages[key]
            else:
                value = str(value)
                if len(value) > LENGTHS[name]:
                    raise ValueError(_("Use at most %(max)d characters.", max=LENGTHS[name]))
                row[name] = value
        except ValueError as exc:
            problems.append(Problem(number, name, str(exc)))
    for name in REQUIRED:
        if name not in row and not any(p.column == name for p in problems):
            problems.append(Problem(number, name, _("This cell is required.")))
    return row, problems


def parse(data: bytes, election) -> list[dict]:
    """Read and check a budget file; return its lines as budget-line values, or fail with every problem."""
    stages = {s.code.lower(): s.id for s in election.stages}
    rows, names, lines, problems = _rows(data), None, [], []
    for number, cells in enumerate(rows, start=1):
        if not any(str(c).strip() for c in cells):
            continue
        if names is None:
            names = _header(cells, number)
            continue
        if len(lines) >= MAX_LINES:
            raise ImportFailed([Problem(None, "", _("The file has more than %(max)d lines; split it.", max=MAX_LINES))])
        line, line_problems = _line(number, names, cells, stages)
        lines.append(line)
        problems.extend(line_problems)
    if names is None:
        problems.append(Problem(None, "", _("The file has no header line.")))
    elif not lines and not problems:
        problems.append(Problem(None, "", _("The file has a header line but no data lines.")))
    if problems:
        raise ImportFailed(problems[:200])
    return lines
