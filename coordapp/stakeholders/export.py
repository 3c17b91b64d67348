"""CSV export of the register, in the import's columns so an export can be imported again."""

import csv
import io

from sqlalchemy.orm import selectinload

from coordapp.core.cells import FORMULA_STARTS, neutralise  # noqa: F401 - the import removes the prefix
from coordapp.extensions import db
from coordapp.stakeholders.importer import COLUMNS
from coordapp.stakeholders.models import Organization
from coordapp.stakeholders.services import RegisterFilter


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def register_rows(organizations: list[Organization]):
    """Yield one row per contact (or one per organization without contacts), in COLUMNS order."""
    for org in organizations:
        org_cells = [
            org.name,
            org.short_name,
            org.category,
            org.influence,
            org.interest,
            org.notes,
            _yes_no(org.is_active),
        ]
        if not org.contacts:
            yield org_cells + [""] * 7
        for contact in org.contacts:
            yield org_cells + [
                contact.name,
                contact.position,
                contact.email,
                contact.phone,
                contact.language,
                contact.reminder_mode,
                _yes_no(contact.is_active),
            ]


def register_csv(register_filter: RegisterFilter) -> str:
    """Return the organizations a filter selects, with their contacts, as CSV text (UTF-8 BOM for Excel)."""
    organizations = (
        db.session.execute(
            register_filter.apply(db.select(Organization))
            .options(selectinload(Organization.contacts))
            .order_by(Organization.name)
        )
        .scalars()
        .all()
    )
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in register_rows(organizations):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def template_csv() -> str:
    """Return an example import file: the header and two lines."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "Bawaslu Kota Tangerang Selatan",
            "Bawaslu",
            "supervisory",
            5,
            5,
            "",
            "yes",
            "Rina Wulandari",
            "Koordinator Divisi Pengawasan",
            "rina@bawaslu.example.org",
            "021 555 0101",
            "id",
            "daily",
            "yes",
        ]
    )
    writer.writerow(
        [
            "Bawaslu Kota Tangerang Selatan",
            "Bawaslu",
            "supervisory",
            5,
            5,
            "",
            "yes",
            "Agus Setiawan",
            "Staf Hukum",
            "agus@bawaslu.example.org",
            "",
            "en",
            "immediate",
            "yes",
        ]
    )
    return buffer.getvalue()
