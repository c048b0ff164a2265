"""What every render must hold, whichever engine made it: the same files, valid, with the answers as typed.

The parity tests compare two renders of the same answers with these; the
property tests put generated answers through the same checks.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import TYPE_CHECKING

import yaml
from markdown_it import MarkdownIt

from tools.trees import files

if TYPE_CHECKING:
    from pathlib import Path

    from markdown_it.token import Token

LEFTOVER = re.compile(r"cookiecutter\.|\{%|%\}|\{#|(?<!\$)\{\{")


def assert_same_valid_project(a: Path, b: Path) -> dict[str, bytes]:
    """Assert two renders hold the same files, no template syntax left, each data file parsing; return one tree."""
    tree_a, tree_b = files(a), files(b)
    assert sorted(tree_a) == sorted(tree_b)
    different = [name for name in tree_a if tree_a[name] != tree_b[name]]
    assert not different, f"engines disagree on {different}"
    for name, data in tree_a.items():
        text = data.decode("utf-8")
        leftover = LEFTOVER.search(text)
        assert not leftover, f"template syntax {leftover.group()!r} left in {name}"
        if name.endswith((".toml", ".lock")):
            tomllib.loads(text)
        elif name.endswith((".yml", ".yaml")):
            yaml.safe_load(text)
        elif name.endswith(".json"):
            json.loads(text)
    return tree_a


def shown(inline: Token) -> str:
    """Return what a reader sees of one Markdown inline run; fail on any markup in it."""
    assert inline.children is not None, f"{inline.type} is not an inline run"
    kinds = {child.type for child in inline.children}
    assert kinds <= {"text", "text_special"}, f"markup {kinds} in {inline.content!r}"
    return "".join(child.content for child in inline.children)


def readme_title_and_lead(readme: str) -> tuple[str, str | None]:
    """Return the README's title and the paragraph under it, as GitHub shows them."""
    blocks = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(readme)
    assert (blocks[0].type, blocks[0].tag) == ("heading_open", "h1")
    lead = shown(blocks[4]) if blocks[3].type == "paragraph_open" else None
    return shown(blocks[1]), lead


def assert_answers_come_out_as_typed(tree: dict[str, bytes], answers: dict[str, str]) -> None:
    """Each free-text answer, stripped, is what every file shows; nothing dangles."""
    name = answers.get("project_name", "My Project").strip()
    description = answers.get("description", "A Python project that is green on its first commit.").strip()
    author = answers.get("author_name", "Your Name").strip()
    project = tomllib.loads(tree["pyproject.toml"].decode())["project"]
    assert project.get("description") == (description or None)
    assert project["authors"][0].get("name") == (author or None)
    assert readme_title_and_lead(tree["README.md"].decode()) == (name, description or None)
    holder = author or f"the {name} authors"
    assert f"Copyright (c) {holder}" in tree["LICENSE"].decode()
    recorded = yaml.safe_load(tree[".copier-answers.yml"].decode())
    for field, value in answers.items():
        assert recorded[field] == value
    for path, data in tree.items():
        # The answers file records each answer as typed, so a trailing no-break
        # space is the answer itself; YAML and the project's hooks read only
        # spaces and tabs as whitespace there.
        ours = " \t" if path == ".copier-answers.yml" else None
        for line in data.decode().splitlines():
            assert line == line.rstrip(ours), f"trailing whitespace in {path}: {line!r}"
