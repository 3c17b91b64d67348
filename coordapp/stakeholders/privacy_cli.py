"""The retention command: anonymise contacts inactive for longer than CONTACT_RETENTION_DAYS."""

import click
from flask import current_app

from coordapp.audit.services import acting_as
from coordapp.extensions import db
from coordapp.stakeholders import privacy


@click.command("anonymise-inactive-contacts")
@click.option("--dry-run", is_flag=True, help="List who would be anonymised; change nothing.")
def anonymise_inactive_command(dry_run: bool) -> None:
    """Anonymise inactive contacts past the retention period (CONTACT_RETENTION_DAYS; 0 keeps them)."""
    days = current_app.config["CONTACT_RETENTION_DAYS"]
    if not days:
        click.echo("CONTACT_RETENTION_DAYS is 0: inactive contacts are kept.")
        return
    due = privacy.inactive_beyond_retention(days)
    for contact in due:
        click.echo(f"contact {contact.id}" + (" (dry run)" if dry_run else ""))
        if not dry_run:
            with acting_as(label="retention"):
                privacy.anonymise(contact)
    if not dry_run:
        db.session.commit()
    click.echo(f"{len(due)} contacts {'would be' if dry_run else ''} anonymised.".replace("  ", " "))
