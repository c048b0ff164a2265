"""Only the options typed on the command line reach the settings as flags."""

import click
from click.testing import CliRunner

from {{ cookiecutter.package_name }}.core.flags import typed_here


@click.command()
@click.option("--level")
@click.option("--name", default="from-default", envvar="SAMPLE_NAME")
@click.pass_context
def sample(ctx: click.Context, /, **options: str | None) -> None:
    """Print what would reach the settings."""
    click.echo(sorted(typed_here(ctx, options).items()))


def test_only_options_typed_on_the_command_line_are_kept() -> None:
    runner = CliRunner()
    assert runner.invoke(sample, []).stdout == "[]\n"
    typed = runner.invoke(sample, ["--level", "debug"], env={"SAMPLE_NAME": "env"})
    assert typed.stdout == "[('level', 'debug')]\n"
