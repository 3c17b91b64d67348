"""`flask reminders sweep [--dry-run] [--now ISO8601]`: one sweep, sent in this process."""

from datetime import datetime

import click
from flask.cli import AppGroup

from coordapp.core.time import local_to_utc
from coordapp.extensions import db
from coordapp.reminders import batch, sweep

reminders_cli = AppGroup("reminders", help="Reminder emails.")


def _parse_now(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use ISO 8601, e.g. 2020-10-05T09:00 (local time) or 2020-10-05T02:00+00:00") from exc
    return local_to_utc(parsed)  # a time without offset is read as Asia/Jakarta wall time


@reminders_cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="Print who would get what; change nothing.")
@click.option("--now", "now_text", metavar="ISO8601", help="Plan as if it were this time (default: now).")
def sweep_command(dry_run: bool, now_text: str | None) -> None:
    """Run one sweep and send its emails in this process, without a worker."""
    now = _parse_now(now_text)
    if dry_run:
        planned = sweep.plan(now or datetime.now().astimezone())
        db.session.rollback()  # a dry run keeps nothing, not even what loading touched
        for item in planned:
            issues = ", ".join(map(str, item.issue_ids))
            click.echo(f"{item.kind:13} {item.recipient_email:40} {item.window_key}  issues {issues}")
        click.echo(f"{len(planned)} deliveries would be created (dry run, nothing changed).")
        return
    result = sweep.run_sweep(now, send=batch.send_many)
    click.echo(
        f"{len(result.planned)} due, {len(result.created)} new, {len(result.requeued)} resumed, "
        f"{result.handed_over} sent."
    )
