"""`flask rollups verify` and `flask rollups rebuild`: the operator's check and repair of the issue roll-ups."""

import click
from flask.cli import AppGroup

from coordapp.extensions import db
from coordapp.rollups import services

rollups_group = AppGroup("rollups", help="Check or rebuild the issue roll-ups the stage board reads.")


def _counts(counts: tuple | None) -> str:
    return "none" if counts is None else "n={} responded={} resolved={}".format(*counts)


@rollups_group.command("verify")
@click.option("--election", "election_id", type=int, default=None, help="Check one election only.")
def verify_command(election_id: int | None) -> None:
    """Compare the roll-ups with a full recount; exit 1 when they differ."""
    found = services.differences(election_id)
    if not found:
        click.echo("roll-ups match the issues")
        return
    for election, rows in sorted(found.items()):
        click.echo(f"election {election}: {len(rows)} group(s) differ")
        for (_, stage, status, priority, owner), have, want in rows:
            click.echo(
                f"  stage={stage} status={status} priority={priority} owner={owner}: "
                f"stored {_counts(have)}, recounted {_counts(want)}"
            )
    click.echo("roll-ups differ: run `flask rollups rebuild`", err=True)
    raise SystemExit(1)


@rollups_group.command("rebuild")
@click.option("--election", "election_id", type=int, default=None, help="Rebuild one election only.")
def rebuild_command(election_id: int | None) -> None:
    """Rebuild the roll-ups from the issues (all elections, or one)."""
    services.rebuild(election_id)
    db.session.commit()
    scope = f"election {election_id}" if election_id is not None else "all elections"
    click.echo(f"rebuilt the roll-ups of {scope}")
