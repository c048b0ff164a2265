"""Write cookiecutter.json and copier.yml's validators and update exclusions: one source each.

    uv run --locked python scripts/refresh_questions.py [--check]

copier.yml holds the questions (their order, help, defaults and choices) and
the files the user owns (``_skip_if_exists``); hooks/rules.py holds the rules
an answer must keep. From them:

- cookiecutter.json: every question in the same order, with the same default
  (a choice question lists its default first: cookiecutter takes the first),
  its help as the prompt, and a derived default's Jinja reading
  ``cookiecutter.<name>``; then the extension that runs hooks/rules.py;
- copier.yml's ``_exclude``: each user-owned pattern again, left out of updates
  so that a file the user deleted stays deleted;
- copier.yml's ``validator`` for each question hooks/rules.py has rules for:
  the same patterns and messages as Jinja, since copier runs no Python
  without ``--trust``.

With ``--check`` it writes nothing and exits 1, naming each file out of date:
the template's tests run that. scripts/refresh_names.py calls it after it
rewrites the derived slug default.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

import rules

ROOT = Path(__file__).resolve().parent.parent
COPIER_YML = ROOT / "copier.yml"
COOKIECUTTER_JSON = ROOT / "cookiecutter.json"
#: What cookiecutter.json adds: the extension holding the rules, evaluated
#: once every answer is in (a private variable is rendered, never asked).
EXTRAS: dict[str, object] = {
    "_extensions": ["hooks.rules.RefuseBadAnswers"],
    "__sturdy_checks": "{{ sturdy_refuse_bad_answers(cookiecutter) }}",
}
UPDATE_ONLY = "  - \"{{% if _copier_operation == 'update' %}}{pattern}{{% endif %}}\"\n"
UPDATE_ENTRY = re.compile(r"^  - \"\{% if _copier_operation == 'update' %\}.*\{% endif %\}\"\n", re.MULTILINE)
#: A question's block in copier.yml, and the validator within it.
QUESTION = re.compile(r"^(?P<name>\w+):\n(?P<body>(?:  .*\n)+)", re.MULTILINE)
VALIDATOR = re.compile(r"^  validator: >-\n(?:    .*\n)*", re.MULTILINE)


def questions(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return copier.yml's questions, in order, without the computed ones (``when: false``)."""
    return {
        name: spec
        for name, spec in config.items()
        if not name.startswith("_") and isinstance(spec, dict) and spec.get("when", True) is not False
    }


def cookiecutter_json(config: dict[str, Any]) -> str:
    """Return the text of cookiecutter.json for copier.yml's ``config``."""
    asked = questions(config)
    reads_answers = re.compile(rf"(?<![\w.'\"])({'|'.join(map(re.escape, asked))})\b")
    context: dict[str, object] = {}
    for name, spec in asked.items():
        default = str(spec["default"])
        if "choices" in spec:
            context[name] = [default, *(str(choice) for choice in spec["choices"] if str(choice) != default)]
        elif "{{" in default or "{%" in default:
            context[name] = reads_answers.sub(r"cookiecutter.\1", default)
        else:
            context[name] = default
    context.update(EXTRAS)
    context["__prompts__"] = {name: spec["help"] for name, spec in asked.items()}
    return json.dumps(context, indent=4, ensure_ascii=False) + "\n"


def copier_yml(text: str, config: dict[str, Any]) -> str:
    """Return copier.yml's ``text`` with its update-only exclusions and validators derived."""
    entries = "".join(UPDATE_ONLY.format(pattern=pattern) for pattern in config["_skip_if_exists"])
    start = text.index("_exclude:\n") + len("_exclude:\n")
    rest = UPDATE_ENTRY.sub("", text[start:])
    return QUESTION.sub(_with_validator, text[:start] + entries + rest)


def _with_validator(question: re.Match[str]) -> str:
    name = question["name"]
    body = VALIDATOR.sub("", question["body"])
    if name in rules.RULES:
        body += validator(name, rules.RULES[name])
    return f"{name}:\n{body}"


def validator(field: str, checks: tuple[rules.Rule, ...]) -> str:
    """Return copier.yml's validator for ``field``: its rules in order, the first broken one's message."""
    lines = [
        f"{{% set reserved %}}{{% include '{rule.reserved.relative_to(ROOT).as_posix()}' %}}{{% endset %}}"
        for rule in checks
        if rule.reserved
    ]
    for index, rule in enumerate(checks):
        if rule.found:
            condition = f"{field} | regex_search({jinja_string(rule.found)})"
        elif rule.missing:
            condition = f"not {field} | regex_search({jinja_string(rule.missing)})"
        else:
            condition = f"{field} in reserved.split()"
        message = rule.message.format(field=field, value=f"{{{{ {field} }}}}")
        keyword = "if" if index == 0 else "elif"
        dash = "-" if lines else ""
        lines.append(f"{{%{dash} {keyword} {condition} %}}{message}")
    lines[-1] += "{% endif %}"
    return "  validator: >-\n" + "".join(f"    {line}\n" for line in lines)


def jinja_string(text: str) -> str:
    """Quote ``text`` as a Jinja string literal, every special character escaped as Jinja reads it back."""
    return "'" + text.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


def derived() -> dict[Path, str]:
    """Return each derived file's path and the text it should have."""
    text = COPIER_YML.read_text(encoding="utf-8")
    config: dict[str, Any] = yaml.safe_load(text)
    return {COPIER_YML: copier_yml(text, config), COOKIECUTTER_JSON: cookiecutter_json(config)}


def main() -> None:
    """Write the derived files, or with --check say which are out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    check = parser.parse_args().check
    wanted = derived()
    stale = [path for path, text in wanted.items() if path.read_text(encoding="utf-8") != text]
    if check:
        for path in stale:
            print(f"refresh_questions: {path.name} is out of date: run scripts/refresh_questions.py", file=sys.stderr)
        sys.exit(1 if stale else 0)
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")


if __name__ == "__main__":
    main()
