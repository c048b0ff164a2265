"""The project's exceptions: one root, a branch per concern, an exit code on each.

Code below the CLI raises these (with ``raise ... from ...`` so the cause stays
in the chain) and never catches them; only the CLI boundary turns them into a
message and an exit code (guide: Exceptions). A new concern gets its own
branch under ``ProjectError``, in its own module if it is a big one.
"""

from __future__ import annotations

import re
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
    """Remember a secret value, so that ``redact`` hides it in any message.

    An empty value hides nothing, and masking it would put a mask between
    every two characters of the message that says it is empty.
    """
    if value:
        _secrets.add(value)


def redact(text: str) -> str:
    r"""Mask every registered secret in ``text``, whoever wrote the message.

    A library may quote a value raw, as ``repr`` of the text or of its bytes
    (``b'Bearer tok\n...'``), or line by line: each form is masked. One pass
    over ``text``, longest form first, so a mask is never masked again.
    """
    forms = {form for secret in _secrets for form in _forms(secret)}
    if not forms:
        return text
    pattern = "|".join(map(_pattern, sorted(forms, key=len, reverse=True)))
    return re.sub(pattern, MASK, text)


def _forms(secret: str) -> set[str]:
    forms = {secret, repr(secret)[1:-1], repr(secret.encode())[2:-1]}
    forms.update(secret.splitlines())
    return {form for form in forms if len(form) >= MIN_MASKED_PIECE} | {secret}


def _pattern(form: str) -> str:
    """Match ``form`` anywhere, or a short one only where it stands alone.

    A secret of a few characters (``ab1``) also occurs inside ordinary words;
    masking it there would garble every message and hide nothing.
    """
    if len(form) >= MIN_MASKED_PIECE:
        return re.escape(form)
    return rf"(?<!\w){re.escape(form)}(?!\w)"
