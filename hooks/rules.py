"""What makes an answer valid: one rule per question, in question order.

cookiecutter runs these rules while it asks the questions (the Jinja
extension below, named in cookiecutter.json), so a refused answer stops it
before it writes a folder or its replay file; the pre-generation hook runs
them once more for a ``--replay``. Copier runs no Python without
``--trust``, so ``copier.yml`` states the same rules as Jinja validators with
the same regular expressions and messages; the template's tests prove that
both engines refuse the same answers with the same line.

Free text (project_name, description, author_name) may hold any character a
person can type except control characters and line or paragraph
separators; leading and trailing whitespace is stripped where the text is
written (templates/text.jinja), so it never reaches a generated file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from jinja2.ext import Extension

if TYPE_CHECKING:
    from collections.abc import Mapping

    from jinja2 import Environment

HERE = Path(__file__).resolve().parent
#: Names package_name may not take: every import name of the shipped locks'
#: environments, the standard library, keywords, names the generated
#: .gitignore ignores and the project's own folders. Written by
#: scripts/refresh_names.py.
RESERVED_IMPORTS_FILE = HERE / "reserved-imports.txt"
#: Names project_slug may not take: every locked distribution and every
#: command the generated tooling runs (the slug becomes a command in
#: .venv/bin, first on PATH inside ``uv run``). Written by the same script.
RESERVED_COMMANDS_FILE = HERE / "reserved-commands.txt"

#: C0 and C1 control characters, DEL, and the Unicode line and paragraph
#: separators: none has a place in a one-line answer.
CONTROL = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]"
#: Names longer than 32 characters would push generated lines past the line
#: length, and ruff would then reformat a fresh project.
SLUG = r"^(?=.{1,32}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$"
#: Dunder names (``__main__``, ``__pycache__``...) belong to Python itself.
PACKAGE = r"^(?=.{1,32}$)(?!__)[a-z_][a-z0-9_]*$"
EMAIL = r"^[^@]+@[^@.]+([.][^@.]+)+$"
#: Never valid unquoted in an address (RFC 5322), so never in core metadata.
EMAIL_FORBIDDEN = '"(),:;<>[\\]'
GITHUB_OWNER = r"^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$"
FREE_TEXT = ("project_name", "description", "author_name")


def reserved_names() -> dict[str, frozenset[str]]:
    """Return the names each name question may not take, by question."""
    return {
        "project_slug": _read(RESERVED_COMMANDS_FILE),
        "package_name": _read(RESERVED_IMPORTS_FILE),
    }


def _read(path: Path) -> frozenset[str]:
    return frozenset(path.read_text(encoding="utf-8").split())


def problem(answers: Mapping[str, Any], reserved: Mapping[str, frozenset[str]]) -> str | None:
    """Return the first rule that the answers break, as one line, or None.

    Questions are checked in the order they are asked, as copier does.
    """
    return next(iter(problems(answers, reserved)), None)


def problems(answers: Mapping[str, Any], reserved: Mapping[str, frozenset[str]]) -> list[str]:
    """Return every rule that the answers break, one line per answer, in question order."""
    found = []
    for field, check in _CHECKS.items():
        value = answers[field]
        if not isinstance(value, str):
            found.append(f"{field} must be text")
        elif re.search(CONTROL, value):
            found.append(f"{field} must be a single line of text without control characters")
        elif message := check(field, value, reserved):
            found.append(message)
    return found


def _text(field: str, value: str, _reserved: Mapping[str, frozenset[str]]) -> str | None:
    if field == "project_name" and not value.strip():
        return "project_name must not be empty"
    return None


def _name(field: str, value: str, reserved: Mapping[str, frozenset[str]]) -> str | None:
    pattern, rule, taken = _NAME_RULES[field]
    if not re.search(pattern, value):
        return f"{field} '{value}' is invalid: {rule}"
    if value in reserved[field]:
        return f"{field} '{value}' is taken: {taken}"
    return None


def _email(field: str, value: str, _reserved: Mapping[str, frozenset[str]]) -> str | None:
    if "".join(value.split()) != value or any(ch in EMAIL_FORBIDDEN for ch in value):
        return f"{field} '{value}' is invalid: an address has no spaces and none of {EMAIL_FORBIDDEN}"
    if not re.search(EMAIL, value):
        return f"{field} '{value}' is invalid: expected an address like name@example.com"
    return None


def _owner(field: str, value: str, _reserved: Mapping[str, frozenset[str]]) -> str | None:
    if re.search(GITHUB_OWNER, value):
        return None
    return (
        f"{field} '{value}' is invalid: use at most 39 letters, digits and single "
        "hyphens, not starting or ending with a hyphen"
    )


_NAME_RULES = {
    "project_slug": (
        SLUG,
        "use at most 32 lowercase letters, digits and single hyphens, starting with a letter",
        "it is a package the generated project locks or a command its tools run",
    ),
    "package_name": (
        PACKAGE,
        (
            "use a lowercase Python identifier of at most 32 letters, digits and "
            "underscores, not starting with two underscores"
        ),
        (
            "it is a Python keyword, a standard-library module, a module the "
            "generated project installs, or a folder name the project uses or ignores"
        ),
    ),
}
_CHECKS = {
    "project_name": _text,
    "project_slug": _name,
    "package_name": _name,
    "description": _text,
    "author_name": _text,
    "author_email": _email,
    "github_owner": _owner,
}


def refuse_bad_answers(answers: Mapping[str, Any]) -> str:
    """Stop cookiecutter with one line per broken rule, or return an empty string.

    Every bad answer is reported at once, so a person who typed ten answers
    fixes them all in one go.
    """
    found = problems(answers, reserved_names())
    if found:
        _stop(found)
    return ""


def _stop(messages: list[str]) -> NoReturn:
    # SystemExit with a message: Python prints the lines and exits 1, with no
    # traceback, and cookiecutter has written nothing yet.
    raise SystemExit("\n".join(f"sturdy: {message}" for message in messages))


class RefuseBadAnswers(Extension):
    """Give cookiecutter.json the rules, and the hooks the template's folder."""

    def __init__(self, environment: Environment) -> None:
        """Add the rules to the globals of cookiecutter's Jinja environment."""
        super().__init__(environment)
        environment.globals["sturdy_refuse_bad_answers"] = refuse_bad_answers
        # cookiecutter renders and runs each hook from inside the template's
        # folder (that is how it finds hooks/): there, the working folder is
        # the template's, absolute and real, whatever $PWD says (cmd.exe and
        # PowerShell never set it) and however the user's folder was reached.
        environment.globals["sturdy_template_dir"] = os.getcwd
