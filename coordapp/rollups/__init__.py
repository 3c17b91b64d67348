"""Issue roll-ups: per-group counts of each election's issues, kept exact by every write, read by the stage board."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Load the model and the flush listeners, and register the `rollups` commands."""
    # Imported here so that importing the package alone loads nothing (as the feature packages do).
    from coordapp.rollups import cli, day_counts, models, tracking  # noqa: F401

    app.cli.add_command(cli.rollups_group)
