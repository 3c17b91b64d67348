"""Reminders bench: a sweep over 100k unresolved issues and 5k contacts.

``run(database_url) -> dict`` builds the data once (reused on the next run), then measures
planning time, the number of queries of a sweep (fixed, not per issue), peak Python memory
(tracemalloc) and the sending rate to a local aiosmtpd server, of one worker process and of two
worker processes given the same rows (each email still sent once), and through real Celery
workers (``celery -A coordapp.worker worker``) of 1, 2 and 4 processes (bench/celery_send.py).
Alone: ``.venv/bin/python -m bench.reminders_bench [DATABASE_URL] [--scale 0.1]`` (a scaled
build needs a database of its own).
"""

import argparse
import json
import logging
import multiprocessing
import os
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, event, func, insert, select

ISSUES, CONTACTS, ORGANIZATIONS, OWNERS, MANAGERS = 100_000, 5_000, 250, 50, 5
CELERY_EMAILS = 3000  # rows each Celery worker count drains
SEND_SAMPLE = 300
NOW = datetime(2020, 10, 5, 2, 0, tzinfo=UTC)  # Monday 09:00 in Jakarta
MARK = "bench-reminders"


@contextmanager
def _counting(engine):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _build(db, scale: float = 1.0) -> None:
    """Insert the bench data in bulk unless it is there already (at scale: that fraction of issues and contacts)."""
    from coordapp.auth.models import User
    from coordapp.elections.models import Election
    from coordapp.issues.models import Issue, issue_contacts
    from coordapp.rollups.services import rebuild
    from coordapp.stakeholders.models import Contact, Organization

    issues, contacts = max(int(ISSUES * scale), 1), max(int(CONTACTS * scale), 1)
    if db.session.execute(select(Election.id).where(Election.slug == MARK)).first():
        built = db.session.execute(select(func.count()).select_from(Issue)).scalar()
        if built != issues:
            raise SystemExit(f"the reminders bench database holds {built} issues, not {issues}: use another one")
        return
    now = datetime.now(UTC)
    election_id = db.session.execute(
        insert(Election)
        .values(name="Pilkada Bench 2020", slug=MARK, region="Bench", timezone="Asia/Jakarta", is_active=True)
        .returning(Election.id)
    ).scalar_one()
    users = [
        {
            "email": f"{MARK}-staff{i}@kpu.example.org",
            "name": f"Staff {i}",
            "password_hash": "x",
            "role": "staff",
            "is_active": True,
            "session_version": 1,
            "language": "id",
            "created_dt": now,
        }
        for i in range(OWNERS)
    ]
    users += [
        {**users[0], "email": f"{MARK}-manager{i}@kpu.example.org", "name": f"Manager {i}", "role": "manager"}
        for i in range(MANAGERS)
    ]
    db.session.execute(insert(User), users)
    owner_ids = db.session.execute(select(User.id).where(User.email.like(f"{MARK}-staff%"))).scalars().all()
    db.session.execute(
        insert(Organization),
        [
            {
                "name": f"{MARK} org {i}",
                "name_key": f"{MARK} org {i}",  # the name folded (already lower case)
                "short_name": f"ORG{i}",
                "category": "government",
                "influence": 3,
                "interest": 3,
                "notes": "",
                "is_active": True,
                "created_dt": now,
            }
            for i in range(ORGANIZATIONS)
        ],
    )
    org_ids = db.session.execute(select(Organization.id).where(Organization.name.like(f"{MARK}%"))).scalars().all()
    db.session.execute(
        insert(Contact),
        [
            {
                "organization_id": org_ids[i % len(org_ids)],
                "name": f"Kontak {i}",
                "position": "",
                "phone": "",
                "email": f"{MARK}-{i}@example.org",
                "language": "id" if i % 4 else "en",
                "reminder_mode": ("daily", "immediate", "daily", "off")[i % 4] if i % 50 else "daily",
                "is_active": True,
                "created_dt": now,
            }
            for i in range(contacts)
        ],
    )
    contact_ids = db.session.execute(select(Contact.id).where(Contact.email.like(f"{MARK}-%"))).scalars().all()
    for start in range(0, issues, 10_000):
        rows = [
            {
                "election_id": election_id,
                "title": f"Kendala {i}",
                "description": "",
                "public_summary": "",
                "priority": ("low", "normal", "high", "critical")[i % 4],
                "status": ("open", "in_progress", "waiting")[i % 3],
                "owner_id": owner_ids[i % len(owner_ids)],
                "due_date": date(2020, 9, 1) + timedelta(days=i % 60),
                "is_public": False,
                "is_archived": False,
                "created_dt": now,
                "updated_dt": now,
            }
            for i in range(start, min(start + 10_000, issues))
        ]
        ids = db.session.execute(insert(Issue).returning(Issue.id), rows).scalars().all()
        links = [
            {"issue_id": iid, "contact_id": contact_ids[(n + start) % len(contact_ids)]} for n, iid in enumerate(ids)
        ]
        links += [
            {"issue_id": iid, "contact_id": contact_ids[(n + start + 7) % len(contact_ids)]}
            for n, iid in enumerate(ids)
            if n % 2
        ]
        db.session.execute(insert(issue_contacts), links)
    rebuild(election_id)  # bulk inserts skip the flush that keeps the roll-ups
    db.session.commit()


def _reset_outbox(db) -> None:
    from coordapp.issues.models import FollowUp
    from coordapp.reminders.models import ReminderDelivery, ReplyToken, delivery_issues, reply_token_issues

    for table in (reply_token_issues, ReplyToken.__table__, delivery_issues, ReminderDelivery.__table__):
        db.session.execute(delete(table))
    db.session.execute(delete(FollowUp).where(FollowUp.kind == "reminder"))
    db.session.commit()


def _sender(database_url: str, mail_config: dict, ids: list[int], ready, results) -> None:
    """One sending worker process: wait for the others, send ids in batches, report (sent, start, end)."""
    from coordapp import create_app
    from coordapp.extensions import db
    from coordapp.reminders import batch

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "BASE_URL": "https://coord.example.org", **mail_config})
    with app.app_context():
        db.session.execute(select(1)).scalar()  # connected before the clock starts
        ready.wait()
        started = time.time()
        try:
            sent = batch.send_many(ids)
        except Exception as exc:  # noqa: BLE001 - reported in the figures, never a hung bench
            results.put((0, started, time.time(), f"{type(exc).__name__}: {exc}"[:200]))
            raise
        results.put((sent, started, time.time(), None))


def _send_rate(database_url: str, smtp, id_lists: list[list[int]]) -> tuple[float | None, int]:
    """Send with one worker process per id list (the SMTP server stays in this process); return emails/s and sent."""
    context = multiprocessing.get_context("spawn")
    ready, results = context.Barrier(len(id_lists)), context.Queue()
    workers = [
        context.Process(target=_sender, args=(database_url, smtp.mail_config(), ids, ready, results))
        for ids in id_lists
    ]
    for worker in workers:
        worker.start()
    figures = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(60)
    errors = [f[3] for f in figures if f[3]]
    if errors:
        print("sending worker failed:", *errors)
    sent = sum(f[0] for f in figures)
    span = max(f[2] for f in figures) - min(f[1] for f in figures)
    return (round(sent / span, 1) if span > 0 and not errors else None), sent


def run(database_url: str, scale: float = 1.0, celery_emails: int = CELERY_EMAILS) -> dict:
    """Build (or reuse) 100k issues and 5k contacts (times scale) on database_url; return the measured figures."""
    from bench import celery_send
    from coordapp import create_app
    from coordapp.extensions import db
    from coordapp.reminders import sweep
    from coordapp.reminders.models import ReminderDelivery
    from tests.smtp import SmtpServer  # a real local SMTP server (aiosmtpd)

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the test server's own log of every command
    with SmtpServer() as smtp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": database_url, "BASE_URL": "https://coord.example.org", **smtp.mail_config()}
        )
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            _build(db, scale)
            build_s = time.perf_counter() - started
            _reset_outbox(db)
            unresolved = db.session.execute(
                select(func.count()).select_from(
                    select(1)
                    .where(db.text("status IN ('open','in_progress','waiting')"))
                    .select_from(db.table("issues"))
                    .subquery()
                )
            ).scalar()
            started = time.perf_counter()
            with _counting(db.engine) as planning_queries:
                planned = sweep.plan(NOW)
            plan_s = time.perf_counter() - started
            db.session.rollback()
            tracemalloc.start()  # a second pass: tracemalloc slows Python down, so it is not timed
            sweep.plan(NOW)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            db.session.rollback()
            started = time.perf_counter()
            with _counting(db.engine) as sweep_queries:
                result = sweep.run_sweep(NOW, send=lambda ids: 0)
            sweep_s = time.perf_counter() - started
            one = result.created[:SEND_SAMPLE]
            two = result.created[SEND_SAMPLE : 3 * SEND_SAMPLE]
            rows = db.session.execute(select(func.count()).select_from(ReminderDelivery)).scalar()
            db.session.remove()
            rate_one, sent = _send_rate(database_url, smtp, [one])
            rate_two, sent_two = _send_rate(database_url, smtp, [two, two[::-1]])  # both get every id
            delivered = len(smtp.messages)
            celery_rates = celery_send.measure(app, smtp, result.planned, celery_emails)
            _reset_outbox(db)  # the copies' window keys are no dates: a later plan must not read them
        return {
            "unresolved_issues": unresolved,
            "contacts": max(int(CONTACTS * scale), 1),
            "build_seconds": round(build_s, 1),
            "planned_deliveries": len(planned),
            "planned_issue_mentions": sum(len(p.issue_ids) for p in planned),
            "planning_seconds": round(plan_s, 2),
            "planning_queries": len(planning_queries),
            "planning_peak_mib": round(peak / 2**20, 1),
            "sweep_seconds": round(sweep_s, 2),
            "sweep_queries": len(sweep_queries),
            "outbox_rows": rows,
            "sent_sample": sent,
            "sent_by_two_workers": sent_two,
            "smtp_received": delivered,
            "send_per_second": rate_one,
            "send_per_second_2_workers": rate_two,
            **celery_rates,
        }


def main() -> None:
    """Run the bench on the given database URL (default: a SQLite file in instance/)."""
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("COORDAPP_INSTANCE", str(root / "instance"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default=f"sqlite:///{root / 'instance' / 'reminders_bench.db'}")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 100k issues and 5k contacts")
    parser.add_argument("--celery-emails", type=int, default=CELERY_EMAILS, help="rows per Celery worker count")
    args = parser.parse_args()
    print(json.dumps(run(args.url, args.scale, args.celery_emails), indent=2))


if __name__ == "__main__":
    main()
