"""Account commands: a password link for an admin without email, and the security log's retention."""

import click
from flask_babel import force_locale

from coordapp.auth import services, tokens
from coordapp.auth.security_log import purge_old_events
from coordapp.core.urls import external_url
from coordapp.extensions import db


@click.command("reset-password")
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Print a one-time link (valid PASSWORD_RESET_MINUTES) to choose a new password; no email is sent."""
    user = services.find_user(email)
    if user is None or not user.is_active:
        raise click.ClickException(f"No active user with the email {email}.")
    with force_locale("en"):
        purpose = tokens.RESET if user.has_password else tokens.INVITE
        token = tokens.new_token(user, purpose)
        endpoint = "auth.reset_password" if purpose == tokens.RESET else "auth.accept_invitation"
        db.session.commit()
    click.echo(f"Give this link to {user.email} (it works once): {external_url(endpoint, token=token)}")


@click.command("purge-security-log")
def purge_security_log_command() -> None:
    """Delete security events older than SECURITY_LOG_RETENTION_DAYS."""
    count = purge_old_events()
    db.session.commit()
    click.echo(f"Deleted {count} security events.")
