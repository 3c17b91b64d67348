"""`flask --app wsgi health`: the /healthz report on the command line, for container health checks."""

import json

import click
from flask.cli import with_appcontext

from coordapp.core import services


@click.command("health")
@click.option(
    "--require",
    "required",
    multiple=True,
    type=click.Choice(["database", "broker", "worker"]),
    help="Exit 1 when this component fails (default: only when the status is error).",
)
@with_appcontext
def health_command(required: tuple[str, ...]) -> None:
    """Print the health report as JSON; exit 1 when a required component (or the database) fails."""
    report, _ = services.health()
    click.echo(json.dumps(report))
    if report["status"] == "error" or set(required) & set(report["failing"]):
        raise SystemExit(1)
