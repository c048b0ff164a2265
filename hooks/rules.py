"""What makes an answer valid: one list of rules per question, in question order.

This file is the one statement of the rules. cookiecutter runs them while it
asks the questions (the Jinja extension below, named in cookiecutter.json), so
a refused answer stops it before it writes a folder or its replay file; the
pre-generation hook runs them once more for a ``--replay``. Copier runs no
Python without ``--trust``, so scripts/refresh_questions.py writes each
question's rules into copier.yml as a Jinja validator with the same patterns
and messages (``Rule.jinja``), and the template's tests check that copier.yml
is current and that both engines refuse the same answers with the same line.

Free text (project_name, description, author_name) may hold any character a
person can type except control characters and line or paragraph
separators; leading and trailing whitespace is stripped where the text is
written (templates/text.jinja), so it never reaches a generated file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
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
#: Never valid unquoted in an address (RFC 5322), so never in core metadata;
#: nor is whitespace.
EMAIL_FORBIDDEN = '"(),:;<>[\\]'
GITHUB_OWNER = r"^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$"


@dataclass(frozen=True)
class Rule:
    """One way an answer can be refused, and the line that says so.

    The answer is refused when the pattern ``found`` matches somewhere in
    it, when the pattern ``missing`` matches nowhere in it, or when it is one
    of the words in the file ``reserved``. ``message`` may name ``{field}``
    and ``{value}``. scripts/refresh_questions.py writes each rule into
    copier.yml; a pattern must match at least one character where it
    matches, because copier's ``regex_search`` returns the match and an
    empty one reads as false.
    """

    message: str
    found: str = ""
    missing: str = ""
    reserved: Path | None = None

    def breaks(self, value: str, reserved: frozenset[str]) -> bool:
        """Say whether ``value`` breaks this rule, given the reserved words."""
        if self.found:
            return re.search(self.found, value) is not None
        if self.missing:
            return re.search(self.missing, value) is None
        return value in reserved


SINGLE_LINE = Rule("{field} must be a single line of text without control characters", found=CONTROL)
#: Every question that takes text, with its rules in the order they are
#: checked; the first one broken is the answer's one line.
RULES: dict[str, tuple[Rule, ...]] = {
    "project_name": (SINGLE_LINE, Rule("{field} must not be empty", missing=r"\S")),
    "project_slug": (
        SINGLE_LINE,
        Rule(
            "{field} '{value}' is invalid: use at most 32 lowercase letters, digits and single hyphens,"
            " starting with a letter",
            missing=SLUG,
        ),
        Rule(
            "{field} '{value}' is taken: it is a package the generated project locks or a command its tools run",
            reserved=RESERVED_COMMANDS_FILE,
        ),
    ),
    "package_name": (
        SINGLE_LINE,
        Rule(
            "{field} '{value}' is invalid: use a lowercase Python identifier of at most 32 letters, digits and"
            " underscores, not starting with two underscores",
            missing=PACKAGE,
        ),
        Rule(
            "{field} '{value}' is taken: it is a Python keyword, a standard-library module, a module the generated"
            " project installs, or a folder name the project uses or ignores",
            reserved=RESERVED_IMPORTS_FILE,
        ),
    ),
    "description": (SINGLE_LINE,),
    "author_name": (SINGLE_LINE,),
    "author_email": (
        SINGLE_LINE,
        Rule(
            "{field} '{value}' is invalid: an address has no spaces and none of " + EMAIL_FORBIDDEN,
            found=r"[\s" + re.escape(EMAIL_FORBIDDEN) + "]",
        ),
        Rule("{field} '{value}' is invalid: expected an address like name@example.com", missing=EMAIL),
    ),
    "github_owner": (
        SINGLE_LINE,
        Rule(
            "{field} '{value}' is invalid: use at most 39 letters, digits and single hyphens,"
            " not starting or ending with a hyphen",
            missing=GITHUB_OWNER,
        ),
    ),
}
#: The file of words each name question may not take.
RESERVED_FILES = {field: rule.reserved for field, rules in RULES.items() for rule in rules if rule.reserved}


def reserved_names() -> dict[str, frozenset[str]]:
    """Return the names each name question may not take, by question."""
    return {field: frozenset(path.read_text(encoding="utf-8").split()) for field, path in RESERVED_FILES.items()}


def problem(answers: Mapping[str, Any], reserved: Mapping[str, frozenset[str]]) -> str | None:
    """Return the first rule that the answers break, as one line, or None.

    Questions are checked in the order they are asked, as copier does.
    """
    return next(iter(problems(answers, reserved)), None)


def problems(answers: Mapping[str, Any], reserved: Mapping[str, frozenset[str]]) -> list[str]:
    """Return every rule that the answers break, one line per answer, in question order."""
    found = []
    for field, rules in RULES.items():
        value = answers[field]
        if not isinstance(value, str):
            found.append(f"{field} must be text")
            continue
        words = reserved.get(field, frozenset())
        broken = next((rule for rule in rules if rule.breaks(value, words)), None)
        if broken:
            found.append(broken.message.format(field=field, value=value))
    return found


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
