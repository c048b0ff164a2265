"""The command line: options, help and the commands, each run inside the boundary.

Only click is loaded at start-up: a command imports what it needs when it
runs (``app``), so ``--help`` and ``--version`` answer at once. Exit codes
and messages: see ``boundary``.
"""

from collections.abc import Mapping

import click
from click.core import ParameterSource

from .boundary import boundary
from .names import env_name


def _show_version(ctx: click.Context, _: click.Parameter, value: bool) -> None:  # noqa: FBT001 -- click passes it positionally
    if value:
        from .version import version_text  # noqa: PLC0415 -- only --version needs it

        click.echo(f"{ctx.find_root().info_name} {version_text()}")
        ctx.exit()


@click.group(
    name="{{ cookiecutter.project_slug }}",
    context_settings={"help_option_names": ["-h", "--help"]},
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
    """Download files over HTTP(S): streamed, verified, retried, never half-written.

    Every setting can also come from the environment
    ({{ cookiecutter.package_name.upper() }}_<NAME>) or the config file; `config show`
    lists them and where each value came from.
    """
    ctx.obj = typed_here(ctx, options)


@main.command(
    epilog="To trust a private certificate authority, set SSL_CERT_FILE to its"
    " PEM file. A transfer slower than 1 KiB/s for 30 s is abandoned."
)
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--dest", metavar="DIR", help="Folder to save into (must exist).")
@click.option("--max-bytes", metavar="N", help="Largest file accepted (e.g. 50MiB).")
@click.option(
    "--sha256", metavar="HEX", help="Expected SHA-256 of the file (one URL only)."
)
@click.option(
    "--timeout", metavar="SECONDS", help="Timeout of each connect, read and write."
)
@click.option("--attempts", metavar="N", help="Tries per URL, the first included.")
@click.option("--overwrite", is_flag=True, help="Replace an existing file.")
@click.pass_context
def download(
    ctx: click.Context,
    /,
    *,
    urls: tuple[str, ...],
    sha256: str | None,
    overwrite: bool,
    **options: str | None,
) -> None:
    """Download each URL into the destination folder; print the saved paths."""
    with boundary():
        from . import app  # noqa: PLC0415 -- loaded when the command runs, not for --help

        flags = {**ctx.obj, **typed_here(ctx, options)}
        exit_code = app.download(urls, sha256, flags, overwrite=overwrite)
    ctx.exit(exit_code)


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


def typed_here(ctx: click.Context, options: Mapping[str, object]) -> dict[str, object]:
    """Keep only options typed on this command line, so env and file keep their rank."""
    return {
        name: value
        for name, value in options.items()
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    }
