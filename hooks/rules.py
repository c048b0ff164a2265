"""What makes an answer valid: one rule per question, in question order.

The cookiecutter pre-generation hook runs these rules. Copier runs no Python
without ``--trust``, so ``copier.yml`` states the same rules as Jinja
validators with the same regular expressions and messages; the template's
tests prove that both engines refuse the same answers with the same line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

#: Python keywords, standard-library modules and every package in the shipped
#: locks, in import form (``-`` as ``_``). Written by scripts/refresh_locks.py.
RESERVED_NAMES_FILE = Path(__file__).with_name("reserved-names.txt")

CONTROL = r"[\x00-\x1f\x7f]"
#: Names longer than 32 characters would push generated lines past the line
#: length, and ruff would then reformat a fresh project.
SLUG = r"^(?=.{1,32}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$"
PACKAGE = r"^(?=.{1,32}$)[a-z_][a-z0-9_]*$"
EMAIL = r"^[^@ ]+@[^@ .]+([.][^@ .]+)+$"
GITHUB_OWNER = r"^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$"


def reserved_names() -> frozenset[str]:
    """Names that neither the slug nor the package may take."""
    return frozenset(RESERVED_NAMES_FILE.read_text(encoding="utf-8").split())


def problem(answers: Mapping[str, str], reserved: frozenset[str]) -> str | None:
    """Return the first rule that the answers break, as one line, or None.

    Questions are checked in the order they are asked, as copier does.
    """
    for field, check in _CHECKS.items():
        value = answers[field]
        if re.search(CONTROL, value):
            return f"{field} must be a single line of text"
        message = check(field, value, reserved)
        if message:
            return message
    return None


def _text(field: str, value: str, _reserved: frozenset[str]) -> str | None:
    if field == "project_name" and not value.strip():
        return "project_name must not be empty"
    return None


def _name(field: str, value: str, reserved: frozenset[str]) -> str | None:
    pattern, rule = _NAME_RULES[field]
    if not re.search(pattern, value):
        return f"{field} '{value}' is invalid: {rule}"
    if value.replace("-", "_") in reserved:
        return (
            f"{field} '{value}' is taken: it is a Python keyword, a "
            "standard-library module or a package the generated project "
            "depends on"
        )
    return None


def _pattern(field: str, value: str, _reserved: frozenset[str]) -> str | None:
    pattern, rule = _PATTERN_RULES[field]
    return None if re.search(pattern, value) else f"{field} '{value}' is invalid: {rule}"


_NAME_RULES = {
    "project_slug": (
        SLUG,
        "use at most 32 lowercase letters, digits and single hyphens, starting with a letter",
    ),
    "package_name": (
        PACKAGE,
        "use a lowercase Python identifier of at most 32 letters, digits and underscores",
    ),
}
_PATTERN_RULES = {
    "author_email": (EMAIL, "expected an address like name@example.com"),
    "github_owner": (
        GITHUB_OWNER,
        "use at most 39 letters, digits and single hyphens, not starting or "
        "ending with a hyphen",
    ),
}
_CHECKS = {
    "project_name": _text,
    "project_slug": _name,
    "package_name": _name,
    "description": _text,
    "author_name": _text,
    "author_email": _pattern,
    "github_owner": _pattern,
}
