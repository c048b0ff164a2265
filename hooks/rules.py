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
#: The template's folder as cookiecutter reached it. cookiecutter imports this
#: module (it is the extension cookiecutter.json names) from the folder the
#: user gave, relative to the user's working folder: made absolute now, before
#: cookiecutter changes folder, it names a folder that exists, whatever $PWD
#: says (cmd.exe and PowerShell never set it) and through any symlink.
TEMPLATE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120 -- abspath keeps symlinks as named
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
    for field, check in _CHECKS.items():
        value = answers[field]
        if not isinstance(value, str):
            return f"{field} must be text"
        if re.search(CONTROL, value):
            return f"{field} must be a single line of text without control characters"
        message = check(field, value, reserved)
        if message:
            return message
    return None


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
    """Stop cookiecutter with the rule's one line, or return an empty string."""
    message = problem(answers, reserved_names())
    if message:
        _stop(message)
    return ""


def _stop(message: str) -> NoReturn:
    # SystemExit with a message: Python prints the line and exits 1, with no
    # traceback, and cookiecutter has written nothing yet.
    line = f"sturdy: {message}"
    raise SystemExit(line)


class RefuseBadAnswers(Extension):
    """Give cookiecutter.json the rules, and the hooks the template's folder."""

    def __init__(self, environment: Environment) -> None:
        """Add the rules to the globals of cookiecutter's Jinja environment."""
        super().__init__(environment)
        environment.globals["sturdy_refuse_bad_answers"] = refuse_bad_answers
        environment.globals["sturdy_template_dir"] = TEMPLATE_DIR
