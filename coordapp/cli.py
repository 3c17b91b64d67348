"""Flask commands: create-user, seed-demo, translations, backup, restore."""

import os

import click
from flask import Flask
from flask_babel import force_locale

from coordapp.auth.cli import purge_security_log_command, reset_password_command
from coordapp.auth.services import AccountError, create_user
from coordapp.core.backup_cli import backup_command, restore_command
from coordapp.demo import seed_demo_command
from coordapp.extensions import db
from coordapp.i18n import compile_catalogs
from coordapp.stakeholders.privacy_cli import anonymise_inactive_command


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, help="admin, manager or staff")
@click.option("--name", default="", help="Display name (defaults to the part before @)")
@click.option("--language", default="id", type=click.Choice(["id", "en"]))
def create_user_command(email: str, role: str, name: str, language: str) -> None:
    """Create a user; the password comes from COORD_PASSWORD or a prompt."""
    password = os.environ.get("COORD_PASSWORD") or click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with force_locale("en"):
        try:
            user = create_user(email, name, role, password, language=language)
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@click.command("compile-translations")
def compile_translations_command() -> None:
    """Merge the translation fragments and compile them."""
    for path in compile_catalogs():
        click.echo(f"wrote {path}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (
        create_user_command,
        seed_demo_command,
        compile_translations_command,
        reset_password_command,
        purge_security_log_command,
        anonymise_inactive_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)
