"""The command line: the one boundary where errors become messages and exit codes.

Exit codes: 0 success; 1 a download failed; 2 bad usage or invalid input or
configuration; 130 interrupted (Ctrl-C). Errors print one line on stderr,
never a traceback (``--log-level DEBUG`` logs the cause chain).
"""

import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import click
from click.core import ParameterSource

from .breaker import Breakers, CircuitBreaker
from .client import open_client
from .download import Downloader, DownloadRequest
from .errors import ProjectError
from .logs import configure_logging
from .progress import progress_on
from .retries import is_transient
from .settings import Settings, env_name, load_settings, secrets_dir
from .version import version_text

logger = logging.getLogger(__name__)

EXIT_INTERRUPTED = 130


def _show_version(ctx: click.Context, _: click.Parameter, value: bool) -> None:  # noqa: FBT001 -- click passes it positionally
    if value:
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
    ctx.obj = _typed_here(ctx, options)


@main.command()
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
    with _boundary():
        request = DownloadRequest.parse(urls, sha256)
        settings = _load(ctx, options)[0]
        exit_code = 0
        with _downloader(settings, overwrite=overwrite) as downloader:
            for url in request.urls:
                try:
                    click.echo(downloader.fetch(str(url), request.sha256))
                except ProjectError as exc:  # report it, go on with the next URL
                    _report(exc)
                    exit_code = max(exit_code, exc.exit_code)
        ctx.exit(exit_code)


@main.group(name="config")
def config_group() -> None:
    """Inspect the settings."""


@config_group.command(name="show")
@click.pass_context
def show_config(ctx: click.Context) -> None:
    """Print each setting, its value (secrets masked) and where it came from."""
    with _boundary():
        settings, origins = _load(ctx, {})
        for name in Settings.model_fields:
            value = getattr(settings, name)  # a SecretStr prints as stars
            shown = "(not set)" if value is None else str(value)
            click.echo(f"{name} = {shown}  ({origins[name]})")
        click.echo(f"secrets dir: {secrets_dir()}")


def _typed_here(ctx: click.Context, options: Mapping[str, object]) -> dict[str, object]:
    """Keep only options typed on this command line, so env and file keep their rank."""
    return {
        name: value
        for name, value in options.items()
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    }


def _load(
    ctx: click.Context, options: Mapping[str, object]
) -> tuple[Settings, dict[str, str]]:
    """Load the settings from every source, then set up logging (once, here)."""
    flags: dict[str, Any] = {**ctx.obj, **_typed_here(ctx, options)}
    settings, origins = load_settings(flags)
    configure_logging(settings.log_level)
    logger.debug("settings: %r", settings)
    return settings, origins


@contextmanager
def _downloader(settings: Settings, *, overwrite: bool) -> Iterator[Downloader]:
    """Wire one client, the per-host breakers and the progress display together."""
    token_url = None if settings.base_url is None else str(settings.base_url)
    with open_client(
        timeout=settings.timeout, token=settings.api_token, token_url=token_url
    ) as client:
        yield Downloader(
            client=client,
            breakers=Breakers(
                lambda host: CircuitBreaker(host, is_failure=is_transient)
            ),
            dest=settings.dest,
            max_bytes=settings.max_bytes,
            attempts=settings.attempts,
            progress=progress_on(sys.stderr),
            overwrite=overwrite,
        )


@contextmanager
def _boundary() -> Iterator[None]:
    """Turn the project's errors and Ctrl-C into a message and an exit code."""
    try:
        yield
    except ProjectError as exc:
        _report(exc)
        raise SystemExit(exc.exit_code) from exc
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        raise SystemExit(EXIT_INTERRUPTED) from None


def _report(exc: ProjectError) -> None:
    logger.debug("%s", type(exc).__name__, exc_info=exc)
    click.echo(f"Error: {exc}", err=True)
