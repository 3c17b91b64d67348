"""`flask mail-in serve [--host] [--port] [--lmtp]` and `flask mail-in process`."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from coordapp.extensions import db
from coordapp.mailin import server, services

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
