"""Ask copier's own validators about answers, without a render.

scripts/refresh_questions.py writes hooks/rules.py into copier.yml as Jinja
validators; this evaluates them
the way copier does (a sandboxed Jinja environment with copier's filters,
rooted at the template, strict undefined), so a test can put hundreds of
names or generated answers to both rule sets in a second. Real renders with
both engines check the same answers in tests/answers/.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from tools.render import ROOT

if TYPE_CHECKING:
    from collections.abc import Mapping


@functools.cache
def _config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    return config


@functools.cache
def _validators() -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, spec["validator"])
        for name, spec in _config().items()
        if not name.startswith("_") and isinstance(spec, dict) and "validator" in spec
    )


@functools.cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(ROOT),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@functools.cache
def _compiled(source: str) -> Template:
    return _environment().from_string(source)


def copier_refusal(answers: Mapping[str, Any]) -> str | None:
    """Return the first validator message copier would show for ``answers``, or None."""
    for _name, validator in _validators():
        message = _compiled(validator).render(**answers).strip()
        if message:
            return message
    return None


def copier_default(name: str, answers: Mapping[str, Any]) -> str:
    """Return the default copier derives for question ``name`` from earlier ``answers``."""
    return _compiled(_config()[name]["default"]).render(**answers)
