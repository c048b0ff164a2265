"""The project's exceptions: one root, a branch per concern, an exit code on each.

Code below the CLI raises these (with ``raise ... from ...`` so the cause stays
in the chain) and never catches them; only the CLI boundary turns them into a
message and an exit code (guide: Exceptions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # pydantic is heavy: --help and --version never load it
    from collections.abc import Callable

    from pydantic import ValidationError

MASK = "**********"
MIN_MASKED_PIECE = 4  # shorter pieces of a secret would mask ordinary words
_secrets: set[str] = set()


class ProjectError(Exception):
    """Root of every error this project raises on purpose."""

    exit_code: ClassVar[int] = 1


class InputError(ProjectError):
    """A flag, variable, config value or argument is invalid: the user's to fix."""

    exit_code: ClassVar[int] = 2


class ConfigError(InputError):
    """The config file is missing, unreadable, or holds a key it must not hold."""


class DownloadError(ProjectError):
    """A download failed; nothing was left behind at the target."""


class TransferError(DownloadError):
    """The network failed (connect, timeout, connection dropped): worth a retry."""


class BadStatusError(DownloadError):
    """The server answered with an HTTP error status."""

    def __init__(self, url: str, status: int, retry_after: float | None) -> None:
        """Keep the status and the Retry-After (in seconds) for the retry policy."""
        super().__init__(f"{url}: HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class SizeLimitError(DownloadError):
    """The body is larger than the allowed maximum."""


class ChecksumError(DownloadError):
    """The body's SHA-256 digest is not the expected one."""


class UnsafeTargetError(DownloadError):
    """No safe file name, or the target is outside the folder, a symlink or taken."""


class UnsafeUrlError(DownloadError):
    """A URL (typed, or from a redirect) is not one this program will fetch."""


class CircuitOpenError(ProjectError):
    """A dependency failed repeatedly; calls fail fast until it cools down."""


class CommandError(ProjectError):
    """An external program is missing, failed, or ran past its timeout."""


def one_line(exc: ValidationError, name: Callable[[tuple[int | str, ...]], str]) -> str:
    """Put every problem of ``exc`` on one line, each named as the user spelled it.

    The rejected input is never included: it may be a secret.
    """
    problems = (
        f"invalid {name(error['loc'])}: {error['msg']}"
        if error["loc"]
        else error["msg"]
        for error in exc.errors(include_url=False, include_input=False)
    )
    return "; ".join(problems)


def register_secret(value: str) -> None:
    """Remember a secret value, so that ``redact`` hides it in any message."""
    _secrets.add(value)


def redact(text: str) -> str:
    r"""Mask every registered secret in ``text``, whoever wrote the message.

    A library may quote a value raw, as ``repr`` of the text or of its bytes
    (``b'Bearer tok\n...'``), or line by line: each form is masked.
    """
    for secret in sorted(_secrets, key=len, reverse=True):
        for form in sorted(_forms(secret), key=len, reverse=True):
            text = text.replace(form, MASK)
    return text


def _forms(secret: str) -> set[str]:
    forms = {secret, repr(secret)[1:-1], repr(secret.encode())[2:-1]}
    forms.update(secret.splitlines())
    return {form for form in forms if len(form) >= MIN_MASKED_PIECE} | {secret}
