"""Any answer a person can type: both engines render the same valid project, or both refuse it.

Hypothesis draws free text from all of Unicode (surrogates aside, which no
keyboard or terminal produces) and names from the rules' own alphabets plus
anything else. cookiecutter renders through pytest-cookies, copier through its
API. The one thing left out is ``{{``, ``{%`` and ``{#``: cookiecutter renders
command-line values as Jinja (README, "Generate a project").
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.prompt import render_variable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools.parity import assert_answers_come_out_as_typed, assert_same_valid_project
from tools.render import ROOT, questions, with_copier
from tools.validators import copier_default, copier_refusal

sys.path.insert(0, str(ROOT / "hooks"))
import rules

if TYPE_CHECKING:
    from pytest_cookies.plugin import Cookies

JINJA = ("{{", "{%", "{#")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
FREE_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=24).filter(
    lambda text: not any(mark in text for mark in JINJA)
)
SLUGS = st.one_of(st.text(LETTERS + "0123456789-", min_size=1, max_size=34), FREE_TEXT)
PACKAGES = st.one_of(st.text(LETTERS + "0123456789_", min_size=1, max_size=34), FREE_TEXT)
EMAILS = st.one_of(st.emails(), FREE_TEXT)
OWNERS = st.one_of(st.text(LETTERS + "ABCZ0123456789-", min_size=1, max_size=40), FREE_TEXT)
ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "project_name": FREE_TEXT,
        "project_slug": SLUGS,
        "package_name": PACKAGES,
        "description": FREE_TEXT,
        "author_name": FREE_TEXT,
        "author_email": EMAILS,
        "github_owner": OWNERS,
    },
)
#: Names people type: mostly valid-looking, so most examples render.
LIKELY_ANSWERS = st.fixed_dictionaries(
    {"project_name": FREE_TEXT.filter(str.strip), "description": FREE_TEXT, "author_name": FREE_TEXT},
    optional={"project_slug": st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)},
)


#: cookiecutter's own environment for cookiecutter.json, made once.
ENVIRONMENT = StrictEnvironment(context={"cookiecutter": questions()})


def derived(answers: dict[str, str]) -> dict[str, str]:
    """Every answer, with the defaults cookiecutter derives for those not given."""
    env = ENVIRONMENT
    full: dict[str, str] = {}
    for name, default in questions().items():
        if name in answers:
            full[name] = answers[name]
        else:
            raw = default[0] if isinstance(default, list) else default
            full[name] = render_variable(env, raw, full)
    return full


def check_both_engines(cookies: Cookies, template: Path, answers: dict[str, str]) -> None:
    baked = cookies.bake(extra_context=answers, template=str(template))
    with tempfile.TemporaryDirectory() as tmp:
        try:
            copied = with_copier(template, Path(tmp, "copier"), answers)
        except ValueError as refused:
            assert baked.exit_code != 0, f"only copier refused {answers!r}: {refused}"  # noqa: PT017 -- copier may or may not refuse
            # copier stops at the first bad answer; cookiecutter's first line names it too.
            line = str(baked.exception).splitlines()[0].removeprefix("sturdy: ")
            assert line in str(refused), f"different lines: {line!r} vs {refused}"  # noqa: PT017 -- idem
            assert baked.project_path is None
            return
        assert baked.exit_code == 0, f"only cookiecutter refused {answers!r}: {baked.exception}"
        assert_answers_come_out_as_typed(assert_same_valid_project(baked.project_path, copied), answers)


@pytest.mark.fast
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=LIKELY_ANSWERS)
def test_typed_free_text_renders_the_same_valid_project_in_both_engines(
    cookies_session: Cookies, template: Path, answers: dict[str, str]
) -> None:
    check_both_engines(cookies_session, template, answers)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=st.one_of(LIKELY_ANSWERS, ANSWERS))
def test_any_answers_render_the_same_valid_project_or_are_refused_alike(
    cookies_session: Cookies, template: Path, answers: dict[str, str]
) -> None:
    check_both_engines(cookies_session, template, answers)


@pytest.mark.fast
@settings(max_examples=200, deadline=None)
@given(answers=ANSWERS)
def test_the_hook_rules_and_copier_validators_agree_on_every_answer(answers: dict[str, str]) -> None:
    full = derived(answers)
    assert rules.problem(full, rules.reserved_names()) == copier_refusal(full)


@pytest.mark.fast
@settings(max_examples=200, deadline=None)
@given(project_name=FREE_TEXT)
def test_the_derived_slug_is_the_same_in_both_engines_and_always_usable(project_name: str) -> None:
    slug = derived({"project_name": project_name})["project_slug"]
    assert copier_default("project_slug", {"project_name": project_name}) == slug
    assert slug == "" or re.fullmatch(rules.SLUG, slug), slug
    if re.fullmatch(r"[A-Za-z0-9 _-]*", project_name):
        words = re.findall(r"[a-z0-9]+", project_name.lower())
        words = ["py", *words] if words and words[0][0].isdigit() else words
        pieces = slug.split("-") if slug else []
        assert pieces == words[: len(pieces)] or pieces == [words[0][:32]], (slug, words)
