"""`flask rollups verify` and `flask rollups rebuild`: the operator's check and repair of the issue roll-ups."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.rollups import day_counts, services

rollups_group = AppGroup("rollups", help="Check or rebuild the issue roll-ups the stage board and its charts read.")


def _counts(counts: tuple | None) -> str:
    return "none" if counts is None else "n={} responded={} resolved={}".format(*counts)


@rollups_group.command("verify")
@click.option("--election", "election_id", type=int, default=None, help="Check one election only.")
def verify_command(election_id: int | None) -> None:
    """Compare the roll-ups (groups and the charts' day counts) with a full recount; exit 1 when they differ."""
    found = services.differences(election_id)
    days = {e: rows for e in _elections(election_id) if (rows := day_counts.differences(e))}
    if not found and not days:
        click.echo("roll-ups match the issues")
        return
    for election, rows in sorted(found.items()):
        click.echo(f"election {election}: {len(rows)} group(s) differ")
        for (_, stage, status, priority, owner), have, want in rows:
            click.echo(
                f"  stage={stage} status={status} priority={priority} owner={owner}: "
                f"stored {_counts(have)}, recounted {_counts(want)}"
            )
    for election, rows in sorted(days.items()):
        click.echo(f"election {election}: {len(rows)} chart day count(s) differ")
        for (_, stage, measure, day), have, want in rows:
            click.echo(f"  stage={stage or None} {measure} day={day}: stored {have}, recounted {want}")
    click.echo("roll-ups differ: run `flask rollups rebuild`", err=True)
    raise SystemExit(1)


def _elections(election_id: int | None) -> list[int]:
    if election_id is not None:
        return [election_id]
    return list(db.session.execute(select(Election.id).order_by(Election.id)).scalars())


@rollups_group.command("rebuild")
@click.option("--election", "election_id", type=int, default=None, help="Rebuild one election only.")
def rebuild_command(election_id: int | None) -> None:
    """Rebuild the roll-ups from the issues (all elections, or one)."""
    services.rebuild(election_id)
    for election in _elections(election_id):
        day_counts.rebuild(election)
    db.session.commit()
    scope = f"election {election_id}" if election_id is not None else "all elections"
    click.echo(f"rebuilt the roll-ups of {scope}")
