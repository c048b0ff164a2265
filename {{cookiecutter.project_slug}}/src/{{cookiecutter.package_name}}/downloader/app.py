"""What the download command does; imported only when it runs.

Each URL of a batch is tried on its own: whatever goes wrong with one is
reported in one line (``core.boundary.report``) and the batch goes on.
"""

import functools
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from {{ cookiecutter.package_name }}.core.boundary import report, say
from {{ cookiecutter.package_name }}.core.errors import InputError, ProjectError
from {{ cookiecutter.package_name }}.core.redact import Redactor
from {{ cookiecutter.package_name }}.core.sources import env_name
from {{ cookiecutter.package_name }}.settings import Settings

from .breaker import Breakers, CircuitBreaker
from .client import open_client, proxy_secrets
from .download import Downloader, DownloadRequest
from .progress import progress
from .retries import is_transient, wait

#: Consecutive transient failures after which a host's breaker opens; raised
#: to ``--attempts`` when more tries are asked for, so they are all made.
BREAKER_THRESHOLD = 5


def download(
    urls: Sequence[str],
    sha256: str | None,
    flags: Mapping[str, Any],
    redact: Redactor,
    *,
    overwrite: bool,
) -> int:
    """Download each URL, print each saved path; return the exit code."""
    request = DownloadRequest.parse(urls, sha256)
    settings = Settings.load(flags, redact)[0]
    token_url = _token_url(settings)
    threshold = max(BREAKER_THRESHOLD, settings.attempts)
    exit_code = 0
    with open_client(
        timeout=settings.timeout, token=settings.api_token, token_url=token_url
    ) as client:
        redact.add(*proxy_secrets())  # the proxies are usable: open_client checked
        downloader = Downloader(
            client=client,
            breakers=Breakers(
                lambda host: CircuitBreaker(
                    host, threshold=threshold, is_failure=is_transient
                )
            ),
            dest=settings.dest,
            max_bytes=settings.max_bytes,
            attempts=settings.attempts,
            progress=functools.partial(progress, stream=sys.stderr),
            sleep=wait,
            overwrite=overwrite,
            timeout=settings.timeout,
        )
        for url in request.urls:
            try:
                saved = downloader.fetch(str(url), request.sha256)
            except Exception as exc:  # noqa: BLE001 -- the batch goes on; report() tells
                report(exc, redact)
                code = exc.exit_code if isinstance(exc, ProjectError) else 1
                exit_code = max(exit_code, code)
                continue
            say(os.fsencode(saved))  # its bytes on disk, whatever stdout's encoding
    return exit_code


def _token_url(settings: Settings) -> str | None:
    """Return the URL whose origin gets the token; refuse a token with none.

    The token is only ever sent to that origin: without one it would go
    nowhere, and every download would fail to authenticate.
    """
    if settings.base_url is not None:
        return str(settings.base_url)
    if settings.api_token is not None:
        msg = (
            f"{env_name('base_url')} must be set when {env_name('api_token')} is:"
            " the token is only ever sent to that host"
        )
        raise InputError(msg)
    return None
