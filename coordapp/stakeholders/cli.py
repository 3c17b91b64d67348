"""flask import-stakeholders FILE: the CSV import from the command line, with a progress bar."""

from pathlib import Path

import click
from flask_babel import force_locale
from flask_babel import gettext as _
from tqdm import tqdm

from coordapp.audit.services import acting_as
from coordapp.extensions import db
from coordapp.stakeholders import importer


def _fail(problems: list[importer.Problem]) -> None:
    db.session.rollback()
    for problem in problems:
        click.echo(str(problem), err=True)
    raise click.ClickException(_("Nothing was imported: %(n)d problem(s) in the file.", n=len(problems)))


@click.command("import-stakeholders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option(
    "--language", type=click.Choice(["en", "id"]), default="en", show_default=True, help="Language of the messages."
)
def import_stakeholders_command(file: Path, dry_run: bool, language: str) -> None:
    """Import organizations and contacts from a CSV file (all lines or none; see README for the columns)."""
    with force_locale(language), acting_as(None, label=f"import-stakeholders {file.name}"):
        try:
            with file.open("rb") as handle:
                lines = importer.parse(importer.read_limited(handle))
            with tqdm(total=len(lines), unit="line", desc=file.name, disable=False) as bar:
                result = importer.apply(lines, progress=bar.update)
        except importer.ImportFailed as failed:
            _fail(failed.problems)
        if dry_run:
            db.session.rollback()
            click.echo(_("The file is correct; nothing was imported yet.") + " " + result.describe())
            return
        db.session.commit()
        click.echo(_("Import done.") + " " + result.describe())
