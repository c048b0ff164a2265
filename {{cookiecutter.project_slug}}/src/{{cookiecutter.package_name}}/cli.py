"""The command line: options, help and the commands, each run inside the boundary.

Only click is loaded at start-up: a command imports what it needs when it
runs (``app``), so ``--help`` and ``--version`` answer at once. Exit codes
and messages: see ``boundary``.
"""

import click

from .boundary import boundary
{% if cookiecutter.example == 'downloader' %}from .download_cli import download  # downloader example
{% endif %}from .flags import typed_here
from .names import env_name


def _show_version(ctx: click.Context, _: click.Parameter, value: bool) -> None:  # noqa: FBT001 -- click passes it positionally
    if value:
        from .version import version_text  # noqa: PLC0415 -- only --version needs it

        click.echo(f"{ctx.find_root().info_name} {version_text()}")
        ctx.exit()


@click.group(
    name="{{ cookiecutter.project_slug }}",
{% if cookiecutter.example == 'downloader' %}    commands=[download],  # downloader example
{% endif %}    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--config", metavar="FILE", help=f"TOML settings file [env {env_name('config')}]."
)
@click.option("--log-level", metavar="LEVEL", help="DEBUG, INFO, WARNING or ERROR.")
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.pass_context
def main(ctx: click.Context, /, **options: str | None) -> None:
    """Run a command, with settings from flags, environment, secrets or a file.

    Highest first: flags, then environment variables
    ({{ cookiecutter.package_name.upper() }}_<NAME>), then the secrets directory,
    then the config file, then the defaults. `config show` lists every
    setting and where its value came from.
    """
    ctx.obj = typed_here(ctx, options)


@main.group(name="config")
def config_group() -> None:
    """Inspect the settings."""


@config_group.command(name="show")
@click.pass_context
def show_config(ctx: click.Context) -> None:
    """Print each setting, its value (secrets masked) and where it came from."""
    with boundary():
        from . import app  # noqa: PLC0415 -- loaded when the command runs, not for --help

        app.show_config(ctx.obj)
