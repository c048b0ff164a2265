"""The project's exceptions: one root, a branch per concern, an exit code on each.

Code below the CLI raises these (with ``raise ... from ...`` so the cause stays
in the chain) and never catches them; only the boundary (``core.boundary``)
turns them into a message and an exit code (guide: Exceptions). A new concern
gets its own branch under ``ProjectError``, in its own module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # pydantic is heavy: --help and --version never load it
    from collections.abc import Callable

    from pydantic import ValidationError


class ProjectError(Exception):
    """Root of every error this project raises on purpose."""

    exit_code: ClassVar[int] = 1


class InputError(ProjectError):
    """A flag, variable, config value or argument is invalid: the user's to fix."""

    exit_code: ClassVar[int] = 2


class ConfigError(InputError):
    """The config file is missing, unreadable, or holds a key it must not hold."""


def one_line(exc: ValidationError, name: Callable[[tuple[int | str, ...]], str]) -> str:
    """Put every problem of ``exc`` on one line, each named as the user spelled it.

    The rejected input is never included: it may be a secret. A check's own
    words (its ``ValueError``) are shown without pydantic's "Value error, ".
    """
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        words = error["msg"]
        if error["type"] == "value_error":
            words = str(error["ctx"]["error"])
        if error["loc"]:
            words = f"invalid {name(error['loc'])}: {words}"
        problems.append(words)
    return "; ".join(problems)
