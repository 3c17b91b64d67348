"""The Tangerang Selatan 2020 demo (filled in by the seed task)."""
import click


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the Pilkada Kota Tangerang Selatan 2020 demo and print the demo logins."""
    raise click.ClickException("not built yet")
