"""Build the benchmark database: one election of 20 stages with 100k issues and what surrounds them.

Rows are made by a seeded random generator (same data on every run) and written with Core
``insert`` executemany in chunks (PostgreSQL: COPY), one transaction, under a tqdm progress bar.
The election's dates are shifted so that today falls in the campaign stage, as during a
real election. The first ``export_rows`` issues all belong to the campaign stage, so the
10k-row export is simply that stage's list.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select
from tqdm import tqdm

from coordapp.auth.models import User
from coordapp.auth.services import hash_password
from coordapp.elections.models import Election, Stage
from coordapp.elections.stage_templates import TEMPLATES
from coordapp.extensions import db
from coordapp.issues.models import FollowUp, Issue, issue_contacts, issue_organizations
from coordapp.meetings.models import Meeting, MinutesRevision, meeting_organizations
from coordapp.rollups import day_counts
from coordapp.rollups.services import rebuild_statements
from coordapp.stakeholders.models import CATEGORIES, Contact, Organization

CHUNK = 5000
PASSWORD = "bench-password-not-secret"
MANAGER_EMAIL = "manager@bench.example.org"
STAFF_EMAIL = "staff1@bench.example.org"  # the first of the staff accounts build() creates
PRIORITY_WEIGHTS = {"low": 2, "normal": 5, "high": 2, "critical": 1}
ISSUE_TOPICS = (
    "e-KTP pemilih",
    "izin tempat kampanye",
    "protokol kesehatan di TPS",
    "logistik terlambat",
    "hoaks di media sosial",
    "akses TPS disabilitas",
)
STATUS_WEIGHTS = {"open": 3, "in_progress": 2, "waiting": 1, "resolved": 3, "closed": 1}


@dataclass
class Sizes:
    issues: int = 100_000
    organizations: int = 2_000
    contacts: int = 10_000
    meetings: int = 20_000
    follow_ups: int = 300_000
    users: int = 60
    export_rows: int = 10_000  # issues of the campaign stage

    @property
    def total(self) -> int:
        """Estimate the rows written (link tables and minutes included), for the progress bar."""
        main = self.issues + self.organizations + self.contacts + self.meetings + self.follow_ups + self.users
        return main + self.meetings * 7 // 4 + self.issues * 5 // 2


def _utc(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(1, 0), tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 10 * 60))


def _chunks(rows, size: int = CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(conn, table, rows, bar=None) -> None:
    if conn.dialect.name == "postgresql":
        _copy(conn, table, rows, bar)
        return
    for batch in _chunks(rows):
        conn.execute(insert(table), batch)
        if bar is not None:
            bar.update(len(batch))


def _copy(conn, table, rows, bar=None) -> None:
    """Write rows with PostgreSQL's COPY (psycopg), in the connection's transaction.

    COPY bypasses SQLAlchemy, so what an INSERT would add is added here: each column's
    Python-side default for the keys a row leaves out, and each type's bind conversion.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    given = list(first)
    defaulted = [c for c in table.columns if c.name not in first and c.default is not None and not c.primary_key]
    columns = [table.c[name] for name in given] + defaulted
    convert = [c.type.bind_processor(conn.dialect) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)
    cursor = conn.connection.dbapi_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for n, row in enumerate(_with_first(first, rows), start=1):
            values = [row[name] for name in given] + [_default(c) for c in defaulted]
            copy.write_row([f(v) if f else v for f, v in zip(convert, values, strict=True)])
            if bar is not None and n % CHUNK == 0:
                bar.update(CHUNK)
    if bar is not None:
        bar.update(n % CHUNK)


def _with_first(first, rest):
    yield first
    yield from rest


def _default(column):
    default = column.default
    return default.arg(None) if default.is_callable else default.arg


def _election(conn, today: date) -> tuple[int, list[dict]]:
    """Insert the election with its stages, shifted so that today falls in the campaign stage."""
    template = TEMPLATES["pilkada"]
    campaign_start = next(start for code, *_, start, end in template if code == "kampanye")
    shift = today - (campaign_start + timedelta(days=40))
    election_id = conn.execute(
        insert(Election.__table__).returning(Election.__table__.c.id),
        {
            "name": "Pilkada Bench",
            "slug": "pilkada-bench",
            "region": "Kota Tangerang Selatan",
            "timezone": "Asia/Jakarta",
            "voting_date": date(2020, 12, 9) + shift,
            "is_active": True,
        },
    ).scalar_one()
    stages = [
        {
            "election_id": election_id,
            "position": i,
            "code": code,
            "name": name,
            "name_en": name_en,
            "phase": phase,
            "start_date": start + shift,
            "end_date": end + shift,
        }
        for i, (code, name, name_en, phase, start, end) in enumerate(template, start=1)
    ]
    conn.execute(insert(Stage.__table__), stages)
    rows = conn.execute(
        select(Stage.__table__).where(Stage.__table__.c.election_id == election_id).order_by("position")
    )
    return election_id, [dict(r._mapping) for r in rows]


def build(sizes: Sizes, today: date, seed: int = 2020) -> None:
    """Fill the (empty) database of the app in context with the benchmark data."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    password_hash = hash_password(PASSWORD)
    with db.engine.begin() as conn, tqdm(total=sizes.total, unit="rows", desc="building", smoothing=0.1) as bar:
        election_id, stages = _election(conn, today)
        user_rows = [
            {
                "email": MANAGER_EMAIL,
                "name": "Bench Manager",
                "role": "manager",
                "password_hash": password_hash,
                "is_active": True,
                "session_version": 1,
                "language": "id",
                "created_dt": now,
            }
        ]
        user_rows += [
            {
                "email": f"staff{i}@bench.example.org",
                "name": f"Staf {i:03d}",
                "role": "staff",
                "password_hash": password_hash,
                "is_active": True,
                "session_version": 1,
                "language": "id",
                "created_dt": now,
            }
            for i in range(1, sizes.users)
        ]
        _write(conn, User.__table__, user_rows, bar)
        user_ids = list(conn.execute(select(User.__table__.c.id)).scalars())

        _write(
            conn,
            Organization.__table__,
            (
                {
                    "name": f"Organisasi Bench {i:05d}",
                    "name_key": f"organisasi bench {i:05d}",
                    "short_name": f"OB{i}",
                    "category": CATEGORIES[i % len(CATEGORIES)],
                    "influence": 1 + i % 5,
                    "interest": 1 + (i // 5) % 5,
                    "notes": "",
                    "is_active": True,
                    "created_dt": now,
                }
                for i in range(sizes.organizations)
            ),
            bar,
        )
        org_ids = list(conn.execute(select(Organization.__table__.c.id)).scalars())
        _write(
            conn,
            Contact.__table__,
            (
                {
                    "organization_id": org_ids[i % len(org_ids)],
                    "name": f"Kontak Bench {i:05d}",
                    "position": "Staf",
                    "email": f"kontak{i}@bench.example.org",
                    "phone": "",
                    "language": "id",
                    "reminder_mode": "daily",
                    "is_active": True,
                    "created_dt": now,
                }
                for i in range(sizes.contacts)
            ),
            bar,
        )
        contact_ids = list(conn.execute(select(Contact.__table__.c.id)).scalars())

        def stage_day(stage: dict) -> date:
            span = max((min(stage["end_date"], today) - stage["start_date"]).days, 0)
            return stage["start_date"] + timedelta(days=rng.randint(0, span))

        started = [s for s in stages if s["start_date"] <= today]
        meeting_rows = []
        for i in range(sizes.meetings):
            stage = started[i % len(started)]
            start = _utc(stage_day(stage), rng)
            meeting_rows.append(
                {
                    "election_id": election_id,
                    "stage_id": stage["id"],
                    "title": f"Rapat koordinasi {i}",
                    "kind": "rakor",
                    "start_dt": start,
                    "end_dt": start + timedelta(hours=2),
                    "location": "Kantor KPU",
                    "online_url": "",
                    "agenda": "",
                    "is_public": i % 3 == 0,
                    "public_title": f"Rapat koordinasi {i}" if i % 3 == 0 else "",
                    "published_dt": start + timedelta(days=2) if i % 3 == 0 else None,
                    "is_archived": False,
                    "created_by_id": rng.choice(user_ids),
                    "created_dt": start,
                }
            )
        _write(conn, Meeting.__table__, meeting_rows, bar)
        meeting_ids = list(conn.execute(select(Meeting.__table__.c.id)).scalars())
        _write(
            conn,
            meeting_organizations,
            ({"meeting_id": m, "organization_id": org_ids[(m * 7) % len(org_ids)]} for m in meeting_ids),
            bar,
        )
        _write(
            conn,
            MinutesRevision.__table__,
            (
                {
                    "meeting_id": m["id"],
                    "author_id": m["created_by_id"],
                    "body": "Notulen rapat.",
                    "created_dt": m["end_dt"] + timedelta(hours=rng.choice((3, 20, 30, 60, 100))),
                }
                for m in conn.execute(select(Meeting.__table__)).mappings().all()
                if m["id"] % 4
            ),
            bar,
        )

        campaign = next(s for s in stages if s["code"] == "kampanye")
        others = [s for s in started if s["id"] != campaign["id"]]
        issues = []
        for i in range(sizes.issues):
            stage = campaign if i < sizes.export_rows else others[i % len(others)]
            created = _utc(stage_day(stage), rng)
            status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
            responded = created + timedelta(hours=rng.randint(1, 24 * 8)) if status != "open" or i % 2 else None
            resolved = created + timedelta(hours=rng.randint(24, 24 * 40)) if status in ("resolved", "closed") else None
            issues.append(
                {
                    "election_id": election_id,
                    "stage_id": stage["id"],
                    "meeting_id": meeting_ids[i % len(meeting_ids)] if i % 3 == 0 else None,
                    "title": f"Kendala {i}: {rng.choice(ISSUE_TOPICS)}",
                    "description": "Uraian kendala untuk uji beban.",
                    "priority": rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))[0],
                    "status": status,
                    "owner_id": rng.choice(user_ids) if i % 5 else None,
                    "created_by_id": rng.choice(user_ids),
                    "due_date": (created + timedelta(days=rng.randint(3, 30))).date(),
                    "first_response_dt": responded,
                    "resolved_dt": resolved,
                    "is_public": i % 4 == 0,
                    "public_title": f"Kendala publik {i}" if i % 4 == 0 else "",
                    "published_dt": (resolved or created) + timedelta(days=1) if i % 4 == 0 else None,
                    "public_summary": "",
                    "is_archived": i >= sizes.export_rows and i % 97 == 0,
                    "created_dt": created,
                    "updated_dt": resolved or created,
                }
            )
        _write(conn, Issue.__table__, issues, bar)
        issue_ids = list(conn.execute(select(Issue.__table__.c.id).order_by(Issue.__table__.c.id)).scalars())
        _write(
            conn,
            issue_organizations,
            (
                {"issue_id": iid, "organization_id": org_ids[(iid * 13 + k) % len(org_ids)]}
                for iid in issue_ids
                for k in range(1 + iid % 2)
            ),
            bar,
        )
        _write(
            conn,
            issue_contacts,
            ({"issue_id": iid, "contact_id": contact_ids[(iid * 17) % len(contact_ids)]} for iid in issue_ids),
            bar,
        )
        created_of = {iid: row["created_dt"] for iid, row in zip(issue_ids, issues, strict=True)}
        _write(
            conn,
            FollowUp.__table__,
            _follow_ups(sizes.follow_ups, issue_ids, created_of, user_ids, contact_ids, rng),
            bar,
        )
        # The rows went in by Core statements, past the flush that keeps the roll-ups: count them once, here.
        for statement in rebuild_statements(election_id):
            conn.execute(statement)
        day_counts.write_recount(conn, election_id)  # the rows went in by COPY/INSERT, past the ORM's roll-up
        bar.total = bar.n
        bar.refresh()


def _follow_ups(n: int, issue_ids, created_of, user_ids, contact_ids, rng):
    kinds = ("comment", "action", "status_change", "reminder", "stakeholder_reply")
    for i in range(n):
        issue_id = issue_ids[i % len(issue_ids)]
        kind = kinds[rng.randrange(len(kinds))]
        by_contact = kind in ("reminder", "stakeholder_reply")
        yield {
            "issue_id": issue_id,
            "kind": kind,
            "body": "Tindak lanjut.",
            "author_user_id": None if by_contact else rng.choice(user_ids),
            "author_contact_id": contact_ids[(issue_id * 17) % len(contact_ids)] if by_contact else None,
            "created_dt": created_of[issue_id] + timedelta(hours=rng.randint(1, 24 * 20)),
        }


def row_counts() -> dict[str, int]:
    """Count the rows of the main tables (to tell whether an existing database can be reused)."""
    tables = {
        "issues": Issue,
        "organizations": Organization,
        "contacts": Contact,
        "meetings": Meeting,
        "follow_ups": FollowUp,
    }
    return {
        name: db.session.execute(select(func.count()).select_from(model)).scalar_one() for name, model in tables.items()
    }
