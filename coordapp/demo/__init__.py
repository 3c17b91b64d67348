"""The Pilkada Kota Tangerang Selatan 2020 demo: `flask --app wsgi seed-demo`."""

import click
from flask_babel import force_locale

from coordapp.audit.services import acting_as
from coordapp.core.time import local_today
from coordapp.demo import data
from coordapp.demo.services import seed_demo
from coordapp.extensions import db
from coordapp.reminders.notifications import quiet


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the Pilkada Kota Tangerang Selatan 2020 demo and print the demo logins."""
    # Demo issues are history: nobody should get a "you are responsible" notice for them.
    with force_locale("en"), acting_as(None, label="seed-demo"), quiet(db.session):
        report = seed_demo(local_today(data.ELECTION["timezone"]))
        db.session.commit()
    if not report.changed:
        click.echo("The demo is already loaded; nothing changed (existing passwords are kept).")
        return
    parts = ", ".join(f"{what}: {n}" for what, n in report.created.items() if n)
    click.echo(f"Loaded the {data.ELECTION['name']} demo: {parts}.")
    if report.kept_users:
        click.echo("Existing demo accounts keep their passwords: " + ", ".join(report.kept_users) + ".")
    if report.logins:
        click.echo(logins_block(report.logins))


def logins_block(logins: list[tuple[str, str, str]]) -> str:
    """Format the new demo logins as a block to copy once."""
    rule = "=" * 72
    rows = [f"  {role:<9}{email:<32}{password}" for role, email, password in logins]
    return "\n".join(
        [
            rule,
            "  Demo logins (random passwords; seed-demo prints them only when it creates the users)",
            "-" * 72,
            f"  {'role':<9}{'email':<32}password",
            *rows,
            rule,
        ]
    )
