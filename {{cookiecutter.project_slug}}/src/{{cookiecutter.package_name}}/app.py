"""What the commands do; imported only when a command runs.

Each URL of a batch is tried on its own: whatever goes wrong with one is
reported in one line (``boundary.report``) and the batch goes on.
"""

import logging
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import click

from .boundary import report
from .breaker import Breakers, CircuitBreaker
from .client import open_client
from .download import Downloader, DownloadRequest
from .errors import ProjectError
from .logs import configure_logging
from .progress import progress_on
from .retries import is_transient
from .settings import Settings, load_settings, secrets_dir

logger = logging.getLogger(__name__)

#: Consecutive transient failures after which a host's breaker opens; raised
#: to ``--attempts`` when more tries are asked for, so they are all made.
BREAKER_THRESHOLD = 5


def download(
    urls: Sequence[str],
    sha256: str | None,
    flags: Mapping[str, Any],
    *,
    overwrite: bool,
) -> int:
    """Download each URL, print each saved path; return the exit code."""
    request = DownloadRequest.parse(urls, sha256)
    settings = load(flags)[0]
    exit_code = 0
    with _downloader(settings, overwrite=overwrite) as downloader:
        for url in request.urls:
            try:
                saved = downloader.fetch(str(url), request.sha256)
            except Exception as exc:  # noqa: BLE001 -- the batch goes on; report() tells
                report(exc)
                code = exc.exit_code if isinstance(exc, ProjectError) else 1
                exit_code = max(exit_code, code)
                continue
            click.echo(saved)
    return exit_code


def show_config(flags: Mapping[str, Any]) -> None:
    """Print each setting, its value (secrets masked) and where it came from."""
    settings, origins = load(flags)
    for name in Settings.model_fields:
        value = getattr(settings, name)  # a SecretStr prints as stars
        shown = "(not set)" if value is None else str(value)
        click.echo(f"{name} = {shown}  ({origins[name]})")
    click.echo(f"secrets dir: {secrets_dir()}")


def load(flags: Mapping[str, Any]) -> tuple[Settings, dict[str, str]]:
    """Load the settings from every source, then set up logging (once, here)."""
    settings, origins = load_settings(flags)
    configure_logging(settings.log_level)
    logger.debug("settings: %r", settings)
    return settings, origins


@contextmanager
def _downloader(settings: Settings, *, overwrite: bool) -> Iterator[Downloader]:
    """Wire one client, the per-host breakers and the progress display together."""
    token_url = None if settings.base_url is None else str(settings.base_url)
    threshold = max(BREAKER_THRESHOLD, settings.attempts)
    with open_client(
        timeout=settings.timeout, token=settings.api_token, token_url=token_url
    ) as client:
        yield Downloader(
            client=client,
            breakers=Breakers(
                lambda host: CircuitBreaker(
                    host, threshold=threshold, is_failure=is_transient
                )
            ),
            dest=settings.dest,
            max_bytes=settings.max_bytes,
            attempts=settings.attempts,
            progress=progress_on(sys.stderr),
            overwrite=overwrite,
        )
