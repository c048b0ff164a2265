"""Every documentation page is reachable, its commands name programs that exist, and its facts hold.

The pages' step-by-step commands are followed for real elsewhere in this
folder (the README's generate commands, adopting, a moved template, recopy,
updating, changing an answer; releasing in tests/lifecycle/). Here every
console block of every page is parsed as the tests parse it, and what a page
states about the template without a command is checked against the template
itself: the ownership table against copier.yml, the Renovate configuration
against Renovate's schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from scripts.check_release_upgrade import user_owned
from tools.commands import run, tool
from tools.render import ROOT, with_copier
from tools.steps import blocks, code_spans, commands, section
from tools.trees import files

DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]
#: Markdown links to a file of the repository (not to a web page).
LINK = re.compile(r"\]\((?!https?://)([^)\s]+)\)")
#: Programs every page may name without the template's environment holding them.
SHELL = {"cd", "export", "git", "uv", "uvx"}


def read(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def anchors(markdown: str) -> set[str]:
    """Return the anchors GitHub gives the headings of ``markdown``."""
    headings = re.findall(r"^#+ (.*)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def covers(path: str, name: str) -> bool:
    """Whether a table's ``path`` (a file, or a folder ending in ``/``) covers the rendered file ``name``."""
    return name == path or (path.endswith("/") and name.startswith(path))


def test_every_link_between_the_pages_resolves() -> None:
    for page in PAGES:
        for target in LINK.findall(read(page)):
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.is_file(), f"{page.name} links to {target}, which does not exist"
            if anchor:
                assert anchor in anchors(read(linked)), f"{page.name} links to {target}: no such heading"


def test_every_page_is_in_the_index_and_the_readme_links_the_index() -> None:
    index = DOCS / "README.md"
    listed = {(DOCS / target).resolve() for target in LINK.findall(read(index))}
    assert {page for page in DOCS.glob("*.md") if page != index} <= listed
    assert "docs/README.md" in LINK.findall(read(ROOT / "README.md"))


def commands_of_projects(markdown: str) -> set[str]:
    """Return the commands a page's generated projects install: the default one's, and each slug it sets."""
    return {"my-project", *re.findall(r"project_slug=([a-z0-9-]+)", markdown)}


def test_every_command_of_every_page_parses_and_runs_a_program_that_exists() -> None:
    for page in PAGES:
        for block in blocks(read(page), "console"):
            for words in commands(block):
                where = f"{page.name}: {' '.join(words)}"
                if words[0].startswith("~/"):  # in an environment the page's steps make: a program by its name
                    assert tool(Path(words[0]).name), where
                elif words[0] not in SHELL:
                    assert tool(words[0]), where
                if words[0] == "uvx":  # the engines, from the package index
                    assert tool(words[1]), where
                if words[:2] == ["uv", "run"]:
                    program, *arguments = [word for word in words[2:] if not word.startswith("-")]
                    assert program in commands_of_projects(read(page)) or tool(program), where
                    scripts = [word for word in arguments if word.startswith("scripts/")]
                    assert all((ROOT / script).is_file() for script in scripts), where


def test_the_contributing_page_gives_the_test_command_ci_runs() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    steps = section(read(DOCS / "contributing.md"), "## Run the tests")
    (install_and_test, fast) = blocks(steps, "console")
    assert install_and_test.rstrip("\n").split(" && ")[-1] in ci_lines
    (words,) = commands(fast)
    marker = words[words.index("-m") + 1]
    markers = re.findall(r"^    \"(\w+):", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert marker in markers


def test_the_ownership_table_is_what_copier_yml_leaves_to_the_user(template: Path, tmp_path: Path) -> None:
    """Each rendered file's owner is the row naming it most closely (a folder's row covers what is in it)."""
    table = [
        line.strip("|").split(" | ")
        for line in read(DOCS / "ownership.md").splitlines()
        if line.startswith("| ") and not line.startswith(("| file ", "| ---"))
    ]
    rows = [
        (span.replace("<package>", "my_project"), owner.strip())
        for names, owner, _ in table
        for span in code_spans(re.sub(r"\([^)]*\)", "", names))  # what the parentheses explain is no row
    ]
    project = with_copier(template, tmp_path / "project", {})
    rendered = sorted(files(project))
    owned = user_owned(template)
    for path, _ in rows:
        assert any(covers(path, name) for name in rendered), f"the table names {path}, which is not rendered"
    for name in rendered:
        covering = [(path, owner) for path, owner in rows if covers(path, name)]
        assert covering, f"the table does not say who owns {name}"
        _, owner = max(covering, key=lambda row: len(row[0]))
        assert (owner == "you") == bool(owned.match_file(name)), f"{name}: the table says {owner}"


def test_the_update_workflow_page_names_what_the_generated_project_has(template: Path, tmp_path: Path) -> None:
    page = read(DOCS / "update-workflow.md")
    (config,) = blocks(page, "json")
    assert json.loads(config)["enabledManagers"] == ["copier"]
    (tmp_path / "renovate.json").write_text(config, encoding="utf-8")
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.renovate", tmp_path / "renovate.json"], tmp_path)

    project = with_copier(template, tmp_path / "project", {})
    for path in [span for span in code_spans(page) if span.startswith(".github/")]:
        assert (project / path).exists(), path
    (disable,) = [span for span in code_spans(page) if span.startswith("gh workflow disable ")]
    workflow = yaml.safe_load((project / ".github" / "workflows" / disable.split()[-1]).read_text(encoding="utf-8"))
    (label,) = re.findall(r"labelled `([^`]+)`", page)
    assert label in [job.get("env", {}).get("LABEL") for job in workflow["jobs"].values()]
    assert "Every\nMonday" in page  # and cron's day of the week is Monday
    assert [entry["cron"].split()[4] for entry in workflow[True]["schedule"]] == ["1"]  # YAML reads `on:` as True
