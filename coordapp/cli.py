"""Flask commands: create-user, seed-demo, translations, backup, restore."""

import os

import click
from flask import Flask
from flask_babel import force_locale

from coordapp.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, help="admin, manager or staff")
@click.option("--name", default="", help="Display name (defaults to the part before @)")
@click.option("--language", default="id", type=click.Choice(["id", "en"]))
def create_user_command(email: str, role: str, name: str, language: str) -> None:
    """Create a user; the password comes from COORD_PASSWORD or a prompt."""
    from coordapp.auth.services import AccountError, create_user

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
    from coordapp.i18n import compile_catalogs

    for path in compile_catalogs():
        click.echo(f"wrote {path}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    from coordapp.core.backup_cli import backup_command, restore_command
    from coordapp.demo import seed_demo_command

    commands = (create_user_command, seed_demo_command, compile_translations_command, backup_command, restore_command)
    for command in commands:
        app.cli.add_command(command)
