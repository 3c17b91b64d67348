"""CSV import of the stakeholder register: one line per contact, all lines or none.

``parse`` reads and checks the file without touching the database; ``apply`` matches
organizations by name and contacts by email, checks what needs the database, then writes.
Both raise ``ImportFailed`` with every problem found (line, column, what is wrong); the
caller commits on success and rolls back otherwise. The web page and the CLI share this.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from coordapp.core.validation import fold_key, is_header_safe, strip_controls
from coordapp.extensions import db
from coordapp.stakeholders.models import CATEGORIES, REMINDER_MODES, Contact, Organization
from coordapp.stakeholders.services import normalise_email, phone_problem

ORG_COLUMNS = (
    "organization_name",
    "organization_short_name",
    "category",
    "influence",
    "interest",
    "organization_notes",
    "organization_active",
)
CONTACT_COLUMNS = (
    "contact_name",
    "contact_position",
    "contact_email",
    "contact_phone",
    "contact_language",
    "reminder_mode",
    "contact_active",
)
COLUMNS = ORG_COLUMNS + CONTACT_COLUMNS
REQUIRED_COLUMNS = ("organization_name",)
LANGUAGES = ("id", "en")
MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
MAX_PROBLEMS = 200
YES, NO = {"yes", "y", "true", "1", "ya"}, {"no", "n", "false", "0", "tidak"}
LENGTHS = {
    "organization_name": 200,
    "organization_short_name": 60,
    "organization_notes": 5000,
    "contact_name": 120,
    "contact_position": 120,
    "contact_email": 254,
    "contact_phone": 40,
}
# column -> model attribute
ORG_FIELDS = {
    "organization_name": "name",
    "organization_short_name": "short_name",
    "category": "category",
    "influence": "influence",
    "interest": "interest",
    "organization_notes": "notes",
    "organization_active": "is_active",
}
CONTACT_FIELDS = {
    "contact_name": "name",
    "contact_position": "position",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_language": "language",
    "reminder_mode": "reminder_mode",
    "contact_active": "is_active",
}
ONE_LINE_COLUMNS = ("organization_name", "organization_short_name", "contact_name", "contact_position")
UPDATE_ORG_FIELDS = {k: v for k, v in ORG_FIELDS.items() if k != "organization_name"}  # matched by name, not renamed


@dataclass
class Problem:
    """One thing wrong with the file: its line (None for the whole file), column and message."""

    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column:
            return _(
                "Line %(line)d, column %(column)s: %(message)s",
                line=self.line,
                column=self.column,
                message=self.message,
            )
        return _("Line %(line)d: %(message)s", line=self.line, message=self.message)


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems


@dataclass
class Line:
    """A checked line: organization values and contact values given on it (empty cells left out)."""

    number: int
    org: dict = field(default_factory=dict)
    contact: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    lines: int = 0
    organizations_created: int = 0
    organizations_updated: int = 0
    contacts_created: int = 0
    contacts_updated: int = 0

    def describe(self) -> str:
        """Say what the import did (or would do), in the reader's language."""
        return _(
            "%(lines)d lines: %(orgs_new)d organizations created, %(orgs_changed)d updated; "
            "%(contacts_new)d contacts created, %(contacts_changed)d updated.",
            lines=self.lines,
            orgs_new=self.organizations_created,
            orgs_changed=self.organizations_updated,
            contacts_new=self.contacts_created,
            contacts_changed=self.contacts_updated,
        )


def read_limited(stream: BinaryIO) -> bytes:
    """Read an uploaded or opened file, refusing one over MAX_BYTES."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        limit = f"{MAX_BYTES // 1048576} MB" if MAX_BYTES >= 1048576 else f"{MAX_BYTES // 1024} KB"
        raise ImportFailed([Problem(None, "", _("The file is larger than %(limit)s; split it.", limit=limit))])
    return data


def decode(data: bytes) -> str:
    """Return the file's text (UTF-8, with or without BOM), or fail with why it is not a CSV file."""
    if not data.strip():
        raise ImportFailed([Problem(None, "", _("The file is empty."))])
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFailed(
            [
                Problem(
                    None,
                    "",
                    _('This is a spreadsheet workbook, not a CSV file. Save it as "CSV UTF-8" and upload that file.'),
                )
            ]
        )
    if b"\x00" in data[:8192]:
        raise ImportFailed([Problem(None, "", _('This is not a text file. Save the register as "CSV UTF-8".'))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [Problem(line, "", _('This line is not UTF-8 text. Save the file as "CSV UTF-8".'))]
        ) from exc


def _delimiter(text: str) -> str:
    """Pick the delimiter the header line uses: comma, semicolon (Excel in many locales) or tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=header.count)


def _header(cells: list[str], line: int) -> tuple[list[str], list[Problem]]:
    names = [cell.strip().lower().replace(" ", "_") for cell in cells]
    problems = []
    for index, name in enumerate(names):
        if name not in COLUMNS:
            problems.append(
                Problem(
                    line,
                    cells[index].strip() or str(index + 1),
                    _("Unknown column. The columns are: %(columns)s.", columns=", ".join(COLUMNS)),
                )
            )
        elif names.index(name) != index:
            problems.append(Problem(line, name, _("This column appears twice.")))
    for name in REQUIRED_COLUMNS:
        if name not in names:
            problems.append(Problem(line, name, _("This column is missing.")))
    return names, problems


def _clean(value: str) -> str:
    value = strip_controls(value).strip()
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]  # the export protects such cells against spreadsheet formulas
    return value


def _check_one_line(column: str, value: str) -> None:
    """Refuse a line break or control character in a name (names go into email subjects and headers)."""
    if column in ONE_LINE_COLUMNS and not is_header_safe(value):
        raise ValueError(_("Line breaks and control characters are not allowed here."))


def _convert(column: str, value: str):
    """Return the stored value of a non-empty cell, or raise ValueError with a translated message."""
    if column in LENGTHS and len(value) > LENGTHS[column]:
        raise ValueError(_("Use at most %(max)d characters.", max=LENGTHS[column]))
    _check_one_line(column, value)
    if column == "category":
        if value.lower() not in CATEGORIES:
            raise ValueError(_("Unknown category. Use one of: %(values)s.", values=", ".join(CATEGORIES)))
        return value.lower()
    if column in ("influence", "interest"):
        if value not in {"1", "2", "3", "4", "5"}:
            raise ValueError(_("Use a whole number from 1 to 5."))
        return int(value)
    if column in ("organization_active", "contact_active"):
        if value.lower() not in YES | NO:
            raise ValueError(_("Use yes or no."))
        return value.lower() in YES
    return _convert_contact(column, value)


def _convert_contact(column: str, value: str):
    """Return the stored value of a non-empty contact cell, or raise ValueError with a translated message."""
    if column == "contact_email":
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValueError(_("This is not a valid email address.")) from None
        return normalise_email(value)
    if column == "contact_phone" and phone_problem(value):
        raise ValueError(phone_problem(value))
    if column == "contact_language" and value.lower() not in LANGUAGES:
        raise ValueError(_("Use id (Indonesian) or en (English)."))
    if column == "reminder_mode" and value.lower() not in REMINDER_MODES:
        raise ValueError(_("Use one of: %(values)s.", values=", ".join(REMINDER_MODES)))
    return value.lower() if column in ("contact_language", "reminder_mode") else value


def _line(number: int, names: list[str], cells: list[str]) -> tuple[Line, list[Problem]]:
    problems = []
    if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
        problems.append(
            Problem(
                number,
                "",
                _("This line has %(found)d cells; the header has %(expected)d.", found=len(cells), expected=len(names)),
            )
        )
    line = Line(number)
    for name, raw in zip(names, cells, strict=False):  # short lines leave cells empty
        value = _clean(raw)
        if not value or name not in COLUMNS:
            continue
        try:
            converted = _convert(name, value)
        except ValueError as exc:
            problems.append(Problem(number, name, str(exc)))
            continue
        (line.org if name in ORG_FIELDS else line.contact)[name] = converted
    if "organization_name" not in line.org and not any(p.column == "organization_name" for p in problems):
        problems.append(Problem(number, "organization_name", _("Every line needs the organization's name.")))
    if line.contact and "contact_email" not in line.contact and not any(p.column == "contact_email" for p in problems):
        problems.append(
            Problem(
                number, "contact_email", _("A contact needs an email address; a later import finds the contact by it.")
            )
        )
    return line, problems


def parse(data: bytes) -> list[Line]:
    """Read and check a CSV file without the database; return its lines or fail with every problem."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    lines, problems, names, previous_end = [], [], None, 0
    try:
        for cells in reader:
            number, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if names is None:
                names, header_problems = _header(cells, number)
                if header_problems:
                    raise ImportFailed(header_problems)
                continue
            if len(lines) >= MAX_LINES:
                raise ImportFailed(
                    [Problem(None, "", _("The file has more than %(max)d lines; split it.", max=MAX_LINES))]
                )
            line, line_problems = _line(number, names, cells)
            lines.append(line)
            problems.extend(line_problems)
    except csv.Error:
        problems.append(
            Problem(
                reader.line_num,
                "",
                _("The quotes on this line are broken; a quoted cell must end with a quote followed by the delimiter."),
            )
        )
    if names is None:
        problems.append(Problem(None, "", _("The file has no header line.")))
    elif not lines and not problems:
        problems.append(Problem(None, "", _("The file has a header line but no data lines.")))
    problems.extend(_consistency_problems(lines))
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    return lines


def _consistency_problems(lines: list[Line]) -> list[Problem]:
    """Find an organization described differently on two lines, or one email on two lines."""
    problems, orgs, emails = [], {}, {}
    for line in lines:
        key = fold_key(line.org.get("organization_name", ""))
        seen = orgs.setdefault(key, {})
        for column, value in line.org.items():
            if column == "organization_name":
                continue
            if column in seen and seen[column][1] != value:
                problems.append(
                    Problem(
                        line.number,
                        column,
                        _("Differs from line %(line)d for the same organization.", line=seen[column][0]),
                    )
                )
            seen.setdefault(column, (line.number, value))
        email = line.contact.get("contact_email")
        if email and email in emails:
            problems.append(
                Problem(line.number, "contact_email", _("This email is already on line %(line)d.", line=emails[email]))
            )
        elif email:
            emails[email] = line.number
    return problems


def _existing(model, column, keys: list[str]) -> dict:
    found = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for row in db.session.execute(db.select(model).where(column.in_(chunk))).scalars():
            found[getattr(row, column.key)] = row
    return found


def _set(obj, fields: dict, values: dict) -> bool:
    changed = False
    for column, attr in fields.items():
        if column in values and getattr(obj, attr) != values[column]:
            setattr(obj, attr, values[column])
            changed = True
    return changed


def _needs_problems(lines: list[Line], orgs: dict, contacts: dict) -> list[Problem]:
    """Find what only the database can tell: a new organization without category, a new contact without name."""
    problems, reported = [], set()
    with_category = {fold_key(ln.org["organization_name"]) for ln in lines if "category" in ln.org}
    for line in lines:
        key = fold_key(line.org["organization_name"])
        if key not in orgs and key not in with_category and key not in reported:
            reported.add(key)
            problems.append(Problem(line.number, "category", _("A new organization needs a category.")))
        if line.contact and line.contact["contact_email"] not in contacts and "contact_name" not in line.contact:
            problems.append(Problem(line.number, "contact_name", _("A new contact needs a name.")))
    return problems


def apply(lines: list[Line], progress: Callable[[int], None] | None = None) -> ImportResult:
    """Create or update organizations (by name) and contacts (by email); fail before writing anything."""
    orgs = _existing(
        Organization, Organization.name_key, sorted({fold_key(ln.org["organization_name"]) for ln in lines})
    )
    contacts = _existing(Contact, Contact.email, sorted({ln.contact["contact_email"] for ln in lines if ln.contact}))
    problems = _needs_problems(lines, orgs, contacts)
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    result, updated = ImportResult(lines=len(lines)), set()
    for line in lines:
        key = fold_key(line.org["organization_name"])
        org = orgs.get(key)
        if org is None:
            org = orgs[key] = Organization(is_active=True, influence=3, interest=3, short_name="", notes="")
            db.session.add(org)
            _set(org, ORG_FIELDS, line.org)
            result.organizations_created += 1
        elif _set(org, UPDATE_ORG_FIELDS, line.org) and org.id is not None:
            updated.add(key)
        if line.contact:
            _apply_contact(line, org, contacts, result)
        if progress:
            progress(1)
    result.organizations_updated = len(updated)
    db.session.flush()
    return result


def _apply_contact(line: Line, org: Organization, contacts: dict, result: ImportResult) -> None:
    contact = contacts.get(line.contact["contact_email"])
    if contact is None:
        contact = contacts[line.contact["contact_email"]] = Contact(
            organization=org, is_active=True, language="id", reminder_mode="daily", position="", phone=""
        )
        db.session.add(contact)
        _set(contact, CONTACT_FIELDS, line.contact)
        result.contacts_created += 1
        return
    moved = org.id is None or contact.organization_id != org.id
    if moved:
        contact.organization = org
    if _set(contact, CONTACT_FIELDS, line.contact) or moved:
        result.contacts_updated += 1


def import_file(data: bytes, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Parse and apply a CSV file in one go (the caller commits or rolls back)."""
    return apply(parse(data), progress)
