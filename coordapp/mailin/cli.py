"""`flask mail-in serve [--host] [--port] [--lmtp]`, `flask mail-in fetch` and `flask mail-in process`."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from coordapp.extensions import db
from coordapp.mailin import imap, server, services

mailin_cli = AppGroup("mail-in", help="Replies by email.")


@mailin_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (local by default).")
@click.option("--port", default=8025, show_default=True, type=int)
@click.option("--lmtp", is_flag=True, help="Speak LMTP instead of SMTP.")
def serve_command(host: str, port: int, lmtp: bool) -> None:
    """Receive replies from a mail relay over SMTP (or LMTP) until interrupted."""
    controller = server.listener(current_app._get_current_object(), host, port, lmtp)
    controller.start()
    click.echo(f"mail-in listening on {host}:{port} ({'LMTP' if lmtp else 'SMTP'})")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


@mailin_cli.command("process")
def process_command() -> None:
    """Process stored messages still waiting, in this process (without a worker)."""
    done = 0
    for row_id in services.waiting():
        services.process(row_id)
        db.session.commit()
        done += 1
    click.echo(f"{done} messages processed.")


@mailin_cli.command("fetch")
def fetch_command() -> None:
    """Store the unseen messages of the MAILIN_IMAP_URL mailbox (a worker processes them); exit 1 on a failure."""
    url = current_app.config.get("MAILIN_IMAP_URL")
    if not url:
        raise click.UsageError("MAILIN_IMAP_URL is not set (e.g. imap://user:password@host:143/INBOX).")
    try:
        result = imap.fetch(url)
    except (ValueError, imap.MailboxUnreachable) as exc:
        raise click.ClickException(f"cannot read the mailbox: {exc}") from exc
    click.echo(f"{result.stored} messages stored, {result.too_large} too large, {result.failed} failed.")
    if result.failed:
        raise SystemExit(1)
