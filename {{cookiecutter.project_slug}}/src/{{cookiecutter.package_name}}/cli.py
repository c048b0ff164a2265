"""The command line: options, help and the commands, each run inside the boundary.

Only click is loaded at start-up: a command imports what it needs when it
runs, so ``--help`` and ``--version`` answer at once. Exit codes and
messages: see ``core.boundary``.
"""

import click

from .core.boundary import boundary
from .core.flags import typed_here
{% if cookiecutter.example == 'downloader' %}from .downloader.cli import download  # downloader example
{% endif %}
DISTRIBUTION = "{{ cookiecutter.project_slug }}"


@click.group(
    name=DISTRIBUTION,
{% if cookiecutter.example == 'downloader' %}    commands=[download],  # downloader example
{% endif %}    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--config",
    metavar="FILE",
    help="TOML settings file [env {{ cookiecutter.package_name.upper() }}_CONFIG].",
)
@click.option("--log-level", metavar="LEVEL", help="DEBUG, INFO, WARNING or ERROR.")
@click.version_option(package_name=DISTRIBUTION, message="%(prog)s %(version)s")
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
    with boundary() as redact:
        from .core.sources import show  # noqa: PLC0415 -- loaded when it runs, not for --help
        from .settings import Settings  # noqa: PLC0415 -- idem

        show(Settings, ctx.obj, redact)
