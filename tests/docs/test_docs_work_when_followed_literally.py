"""The step-by-step instructions work when a user follows them literally.

Every command comes from the page it is in (the downloader example's README
for "Removing the example", the template's README and docs/ pages for the
rest), never re-typed here. The only substitutions are the ones a test must make: the local
template snapshot for ``gh:OWNER/sturdy`` (nothing here may clone from
GitHub), this run's copier for ``uvx copier``, temporary folders for the
example paths, and the answers a user would type at copier's prompts. An
edit a README states in words is made here by the rule it states.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
import yaml

from tools.commands import isolated_cookiecutter, project_env, run
from tools.interpreters import find_python
from tools.render import ROOT, SKELETON, commit_all, git, snapshot, with_copier
from tools.steps import blocks, code_spans, commands, section
from tools.trees import files

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

TEMPLATE_README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
PYTHON_MIN = "3.12"
GIT_USER = {
    "GIT_AUTHOR_NAME": "A User",
    "GIT_AUTHOR_EMAIL": "user@example.com",
    "GIT_COMMITTER_NAME": "A User",
    "GIT_COMMITTER_EMAIL": "user@example.com",
}


@dataclass(frozen=True)
class User:
    """A user's shell: where they are, their environment, and what the test must stand in for."""

    env: dict[str, str]
    #: Text replaced inside every word: the README's example paths and URLs.
    places: Mapping[str, str]
    #: Extra arguments for the commands that would ask questions.
    answers: Sequence[str] = ()

    def follow(self, block: str, cwd: Path) -> Path:
        """Run every command of a console block from ``cwd``; return the folder the user ends in."""
        for words in commands(block):
            args = [self._place(word) for word in words]
            if args[0] == "cd":
                cwd = cwd / args[1]
                continue
            if args[:2] == ["uvx", "copier"]:
                args = [sys.executable, "-m", "copier", *args[2:]]
                if args[3] == "copy":  # the answers the user would type at the prompts
                    args[4:4] = ["--defaults", *self.answers]
            # Resolving asks the package index, as it does for the user, and so does installing what it
            # chose (a release newer than uv's cache holds); the rest runs offline.
            online = args[:2] in (["uv", "remove"], ["uv", "lock"], ["uv", "sync"])
            env = self.env if online else {**self.env, "UV_OFFLINE": "1"}
            result = run(args, cwd, env, check=False)
            # git merge stops with conflicts for the user to resolve; everything else must succeed.
            conflicts = args[:2] == ["git", "merge"] and "CONFLICT" in result.stdout
            assert result.returncode == 0 or conflicts, f"{words} failed:\n{result.stdout}\n{result.stderr}"
        return cwd

    def _place(self, word: str) -> str:
        for example, here in self.places.items():
            word = word.replace(example, here)
        return word


def user(tmp_path: Path, places: Mapping[str, str] | None = None, answers: Sequence[str] = ()) -> User:
    """Return a user with a fresh git identity and config (nothing of this machine's own), and uv's settings."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    env = project_env(
        find_python(PYTHON_MIN),
        {
            **GIT_USER,
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        },
    )
    return User(env, places or {}, answers)


def page(name: str) -> str:
    """Return the text of one docs/ page."""
    return (DOCS / name).read_text(encoding="utf-8")


#: The generated README's check, which CI runs too: a page's block that runs these, each asserted to
#: pass, has checked its project (pre-commit runs uv lock --check, ruff, ruff format, mypy and the rest).
FULL_CHECK = [
    ["uv", "sync", "--locked"],
    ["uv", "run", "--frozen", "pre-commit", "run", "--all-files"],
    ["uv", "run", "--frozen", "pytest", "--cov"],
]


# --- the example's README: "Removing the example" ------------------------------


def test_removing_the_example_as_the_generated_readme_says_gives_the_project_example_none_generates(
    template: Path, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    answers = {"python_min": PYTHON_MIN, "project_slug": "tidy-tool", "package_name": "tidy"}
    project = with_copier(template, tmp_path / "tidy-tool", answers)
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Generate from the sturdy template")
    readme = project / "src" / "tidy" / "downloader" / "README.md"
    steps = section(readme.read_text(encoding="utf-8"), "## Removing the example")
    edits, env_file, paste = re.split(r"^\d\. ", steps, flags=re.MULTILINE)[1:]
    shell = user(tmp_path)

    # 1. Delete the marked lines, in the files the README names, found by the command it gives.
    marker = next(span for span in code_spans(edits) if span.startswith("# "))
    (grep,) = [span for span in code_spans(edits) if span.startswith("git grep")]
    found = run(commands(grep)[0], project, shell.env).stdout.splitlines()
    named = {span for span in code_spans(edits) if span.endswith(".py")}
    assert {line.split(":", 1)[0] for line in found} == named
    for name in named:
        path = project / name
        kept = [
            line
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.rstrip().endswith(marker)
        ]
        path.write_text("".join(kept), encoding="utf-8")
    # 2. Keep .env.example up to the line the README names.
    (env_name, last_line) = code_spans(env_file)
    text = (project / env_name).read_text(encoding="utf-8")
    assert text.count(f"{last_line}\n") == 1, last_line
    (project / env_name).write_text(text.split(f"{last_line}\n")[0] + f"{last_line}\n", encoding="utf-8")
    # 3. The commands, as pasted.
    (pasted,) = blocks(paste, "console")
    shell.follow(pasted, project)  # it runs every check itself: pre-commit, then pytest with the gate

    with subtests.test("the lock matches pyproject.toml"):
        run(["uv", "lock", "--check"], project, {**shell.env, "UV_OFFLINE": "1"})
    with subtests.test("the result is, file for file, what example=none generates"):
        fresh = files(with_copier(template, tmp_path / "fresh", {**answers, "example": "none"}))
        now = {name: (project / name).read_bytes() for name in git("ls-files", cwd=project).splitlines()}
        own = {"README.md", "uv.lock"}
        assert sorted(now.keys() - own) == sorted(fresh.keys() - own)
        assert [name for name in now.keys() - own if now[name] != fresh[name]] == []
        locked = {package["name"] for package in tomllib.loads(now["uv.lock"].decode())["package"]}
        assert locked == {package["name"] for package in tomllib.loads(fresh["uv.lock"].decode())["package"]}
    with subtests.test("the skeleton's command still runs"):
        assert "config" in run(["uv", "run", "--frozen", "tidy-tool", "--help"], project, shell.env).stdout
    with subtests.test("the removal and the answer are committed"):
        subjects = git("log", "-2", "--format=%s", cwd=project).split("\n")
        assert subjects[:2] == ["Record the answer example=none", "Remove the example application"]
        assert not git("status", "--porcelain", cwd=project).strip()


# --- docs/adopting.md: "Adopt the template in an existing repository" ---------

EXISTING = {
    "README.md": "# Version tidy\n\nOur tool, long before the template.\n",
    "LICENSE": "Copyright (c) 2019 A User\n\nAll rights reserved.\n",
    ".gitignore": "*.log\n.venv/\n",
    "pyproject.toml": """[build-system]
requires = ["hatchling>=1.25"]
build-backend = "hatchling.build"

[project]
name = "version-tidy"
version = "2.3.0"
description = "Tidies version strings."
requires-python = ">=3.12"
dependencies = ["packaging>=24"]

[project.scripts]
version-tidy = "version_tidy:main"

[tool.black]
line-length = 100
""",
    "src/version_tidy/__init__.py": '''"""Tidy version strings."""

import sys

from packaging.version import Version


def tidy(text: str) -> str:
    """Return ``text`` as a normalised version."""
    return str(Version(text))


def main() -> None:
    """Print each argument's tidy form."""
    for text in sys.argv[1:]:
        sys.stdout.write(f"{tidy(text)}\\n")
''',
    "tests/__init__.py": '"""Tests."""\n',
    "tests/test_tidy.py": '''"""The tidy forms."""

import pytest

from version_tidy import main, tidy


def test_tidy() -> None:
    assert tidy("1.0.0-RC1") == "1.0.0rc1"


def test_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.argv", ["version-tidy", "2.0-post1"])
    main()
    assert capsys.readouterr().out == "2.0.post1\\n"
''',
}


def existing_repository(root: Path, env: dict[str, str]) -> Path:
    """Return a small project made without sturdy: its own metadata, dependency, package, tests, lock and history."""
    for name, text in EXISTING.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    run(["uv", "lock"], root, env)
    run(["git", "init", "-q", "-b", "main"], root, env)
    run(["git", "add", "-A"], root, env)
    run(["git", "commit", "-q", "-m", "Our history"], root, env)
    return root


def tables(toml: str) -> list[str]:
    """``toml`` cut before each table header: the text before the first, then one piece per table."""
    return re.split(r"^(?=\[)", toml, flags=re.MULTILINE)


def is_project_table(piece: str) -> bool:
    return piece.startswith(("[project]", "[project."))


def resolve_pyproject(project: Path, rule: str) -> None:
    """Apply the README's rule for pyproject.toml.

    The template's file, with your ``[project]`` tables in place of its own,
    and without the pydantic plugin unless you depend on pydantic.
    """
    theirs = (project / "pyproject.toml").read_text(encoding="utf-8")
    ours = git("show", "HEAD:pyproject.toml", cwd=project)
    pieces = tables(theirs)
    at = next(index for index, piece in enumerate(pieces) if is_project_table(piece))
    pieces = [piece for piece in pieces if not is_project_table(piece)]
    pieces[at:at] = [piece for piece in tables(ours) if is_project_table(piece)]
    if "pydantic" not in " ".join(tomllib.loads(ours)["project"]["dependencies"]):
        plugin_line = next(span for span in code_spans(rule) if span.startswith("plugins"))
        plugin_table = next(span for span in code_spans(rule) if span.startswith("[tool.pydantic"))
        pieces = [piece.replace(f"{plugin_line}\n", "") for piece in pieces]
        pieces = [piece for piece in pieces if not piece.startswith(plugin_table)]
    (project / "pyproject.toml").write_text("".join(pieces), encoding="utf-8")


def resolve(project: Path, steps: str, env: dict[str, str]) -> None:
    """Resolve each "both added" file as the README's list says for it."""
    listing = steps.split("Resolve each file", 1)[1].split("\n\n", 2)[1]
    bullets = re.findall(r"^- \*\*(.*?):\*\*(.*?)(?=^- |\Z)", listing, flags=re.MULTILINE | re.DOTALL)
    conflicted = git("diff", "--name-only", "--diff-filter=U", cwd=project).split()
    assert conflicted, "the merge should have left files to resolve"
    for name in conflicted:
        rules = [
            rule
            for names, rule in bullets
            for listed in code_spans(names)
            if name == listed or (listed.endswith("/") and name.startswith(listed))
        ]
        assert len(rules) == 1, f"the README does not say how to resolve {name}"
        (command,) = [span for span in code_spans(rules[0]) if span.startswith("git checkout")]
        run(command.replace("<file>", name).split(), project, env)
        if name == "pyproject.toml":
            resolve_pyproject(project, rules[0])


def test_adopting_the_template_as_the_readme_says_ends_green(
    template: Path, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    steps = section(page("adopting.md"), "# Adopt the template in an existing repository")
    render = tmp_path / "sturdy-render"
    shell = user(
        tmp_path,
        {"https://github.com/OWNER/sturdy.git": str(template), "/tmp/sturdy-render": str(render)},  # noqa: S108 -- the README's path, mapped
        [
            *("--data", f"python_min={PYTHON_MIN}"),
            *("--data", "project_slug=version-tidy"),
            *("--data", "package_name=version_tidy"),
        ],
    )
    existing = existing_repository(tmp_path / "your-project", shell.env)
    first, last = blocks(steps, "console")

    project = shell.follow(first, tmp_path)
    assert project == existing
    resolve(project, steps, shell.env)
    shell.follow(last, project)

    # The block ran the full check on this very project; what it leaves out, one subtest each.
    assert all(command in commands(last) for command in FULL_CHECK)
    offline = {**shell.env, "UV_OFFLINE": "1"}
    with subtests.test("ruff lints and formats clean, finding the files by its own config"):
        run(["uv", "run", "--frozen", "ruff", "check"], project, offline)
        run(["uv", "run", "--frozen", "ruff", "format", "--check"], project, offline)
    with subtests.test("the checks changed nothing, and the adoption is committed"):
        assert not git("status", "--porcelain", cwd=project).strip()
    with subtests.test("the project keeps its own metadata, dependency, code and history"):
        pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        assert pyproject["project"] == tomllib.loads(EXISTING["pyproject.toml"])["project"]
        assert "pre-commit>=4.7" in pyproject["dependency-groups"]["dev"]
        for name in ("README.md", "LICENSE", "src/version_tidy/__init__.py", "tests/test_tidy.py"):
            assert (project / name).read_text(encoding="utf-8") == EXISTING[name], name
        assert "Our history" in git("log", "--format=%s", cwd=project)
        assert not list((project / "src" / "version_tidy").glob("cli.py")), "the example came along"
    with subtests.test("copier can update it from now on"):
        recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
        assert recorded["_src_path"] == str(template)
        assert recorded["package_name"] == "version_tidy"
        assert recorded["example"] == "none"


# --- docs/moved-template.md and docs/recopy.md --------------------------------

EDITORCONFIG_V2 = "\n# v0.0.2 of the template\n"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the template tagged v0.0.1, and v0.0.2 which appends a line to .editorconfig."""
    template = snapshot(tmp_path_factory.mktemp("releases") / "sturdy")
    editorconfig = template / SKELETON / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text(encoding="utf-8") + EDITORCONFIG_V2, encoding="utf-8")
    commit_all(template, "v0.0.2")
    git("tag", "v0.0.2", cwd=template)
    return template


def made_at_v1(source: str, dest: Path, env: dict[str, str], data: Sequence[str] = ()) -> Path:
    """Return a project copier made from ``source`` at v0.0.1 (with ``--data`` answers, if given), committed."""
    copy = [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref", "v0.0.1", *data]
    run([*copy, source, dest], dest.parent, env)
    run(["git", "init", "-q", "-b", "main"], dest, env)
    run(["git", "add", "-A"], dest, env)
    run(["git", "commit", "-q", "-m", "Generate"], dest, env)
    return dest


@pytest.fixture(scope="module")
def made_from_releases(releases: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Return ``copy(dest, data=())``: at ``dest``, a copy of the project ``made_at_v1`` makes from the releases.

    The same command with the same answers makes the same project: each is
    made once per module, and every test edits a copy of its own.
    """
    made: dict[tuple[str, ...], Path] = {}

    def copy(dest: Path, data: Sequence[str] = ()) -> Path:
        if tuple(data) not in made:
            folder = tmp_path_factory.mktemp("made-at-v1")
            made[tuple(data)] = made_at_v1(str(releases), folder / "project", user(folder).env, data)
        return shutil.copytree(made[tuple(data)], dest, symlinks=True)

    return copy


def test_a_project_whose_template_moved_updates_as_the_readme_says(
    releases: Path, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    steps = section(page("moved-template.md"), "# Point a project at a template that moved")
    (block,) = blocks(steps, "console")
    setting, old_url = commands(block)[0][3:]
    new_url = setting.removeprefix("url.").removesuffix(".insteadOf")
    for kind in ("a URL", "a folder path"):
        with subtests.test(f"_src_path is {kind}"):
            old = tmp_path / kind.replace(" ", "-") / "old" / "sturdy"
            new = old.parent.parent / "new" / "sturdy"
            shutil.copytree(releases, old, symlinks=True)
            places = {
                new_url: new.as_uri(),
                old_url: old.as_uri(),
                "/new/path/sturdy": str(new),
                "/old/path/sturdy": str(old),
            }
            shell = user(old.parent.parent, places)
            source = f"git+{old.as_uri()}" if kind == "a URL" else str(old)
            project = made_at_v1(source, old.parent.parent / "project", shell.env)
            new.parent.mkdir()
            old.rename(new)
            old.parent.rmdir()
            update = [sys.executable, "-m", "copier", "update", "--defaults"]
            assert run(update, project, shell.env, check=False).returncode != 0, "the move should break updates"

            if kind == "a URL":
                shell.follow(block, project)
            else:
                (link,) = [span for span in code_spans(steps) if span.startswith("ln -s")]
                old.parent.mkdir()
                shell.follow(link, project)
                run(update, project, shell.env)

            recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
            assert recorded["_commit"] == "v0.0.2"
            assert recorded["_src_path"] == source  # the answers file keeps the old address
            assert (project / ".editorconfig").read_text(encoding="utf-8").endswith(EDITORCONFIG_V2)


def test_recopy_discards_template_file_edits_and_restores_deleted_examples_as_the_readme_says(
    made_from_releases: Callable[..., Path], tmp_path: Path, subtests: pytest.Subtests
) -> None:
    steps = section(page("recopy.md"), "# Start over from the template: `copier recopy`")
    recopy = next(span for span in code_spans(steps) if "recopy" in span).split()
    (current,) = [span for span in code_spans(steps) if span.startswith("--vcs-ref")]
    for extra, release in (([], "v0.0.2"), ([current], "v0.0.1")):
        with subtests.test(f"recopy {' '.join(extra)} renders {release}"):
            folder = tmp_path / release
            folder.mkdir()
            shell = user(folder)
            project = made_from_releases(folder / "project")
            pristine = {name: (project / name).read_bytes() for name in (".editorconfig", ".gitignore")}
            example = min((project / "tests").glob("test_*.py"))
            example_text = example.read_bytes()
            (project / ".gitignore").write_text("/scratch/\n", encoding="utf-8")  # template-owned
            (project / "README.md").write_text("# Ours\n", encoding="utf-8")  # user-owned
            example.unlink()
            run(["git", "commit", "-q", "-am", "User edits"], project, shell.env)

            shell.follow(" ".join([*recopy, *extra]), project)

            assert (project / ".gitignore").read_bytes() == pristine[".gitignore"], "the edit survived"
            assert example.read_bytes() == example_text, "the deleted example did not come back"
            assert (project / "README.md").read_text(encoding="utf-8") == "# Ours\n"
            editorconfig = (project / ".editorconfig").read_text(encoding="utf-8")
            assert editorconfig.endswith(EDITORCONFIG_V2) == (release == "v0.0.2")
            assert pristine[".editorconfig"].decode() in editorconfig
            recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
            assert recorded["_commit"] == release


# --- docs/updating.md: update to the newest release, change an answer ---------

#: A project without the example: the cheapest one that runs every check.
WITHOUT_EXAMPLE = ("--data", "example=none")


def test_updating_as_the_docs_say_brings_the_release_and_ends_green(
    made_from_releases: Callable[..., Path], tmp_path: Path
) -> None:
    (block,) = blocks(section(page("updating.md"), "## Update to the newest release"), "console")
    shell = user(tmp_path)
    project = made_from_releases(tmp_path / "project", WITHOUT_EXAMPLE)

    shell.follow(block, project)  # it runs every check itself: pre-commit, then pytest with the gate

    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert recorded["_commit"] == "v0.0.2"
    assert (project / ".editorconfig").read_text(encoding="utf-8").endswith(EDITORCONFIG_V2)
    assert git("log", "-1", "--format=%s", cwd=project).strip() == "Update from the sturdy template"
    assert not git("status", "--porcelain", cwd=project).strip()


def test_changing_an_answer_as_the_docs_say_rewrites_only_what_depends_on_it(
    made_from_releases: Callable[..., Path], tmp_path: Path
) -> None:
    steps = section(page("updating.md"), "## Change an answer").split("\n### ", 1)[0]
    (block,) = blocks(steps, "console")
    (key, value) = commands(block)[0][-1].split("=")
    shell = user(tmp_path)
    project = made_from_releases(tmp_path / "project", WITHOUT_EXAMPLE)
    before = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))

    shell.follow(block, project)

    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert recorded == {**before, key: value}, "--vcs-ref=:current: keeps the release"
    # The page names what depends on the license: LICENSE, pyproject.toml's field, the answers file.
    changed = {line[3:] for line in git("status", "--porcelain", cwd=project).splitlines()}
    assert changed == {"LICENSE", "pyproject.toml", ".copier-answers.yml"}
    assert {"LICENSE", "pyproject.toml"} <= set(code_spans(steps))
    assert tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"][key] == value
    assert "Apache License" in (project / "LICENSE").read_text(encoding="utf-8")


#: An edit a recipe states: replace [the word] `OLD` with `NEW`.
REPLACE = re.compile(r"replace (the word )?`([^`]+)` with `([^`]+)`")


@pytest.mark.parametrize(
    ("answer", "example"),
    [("project_slug", "none"), ("package_name", "downloader")],
    ids=["the slug, without the example", "the import name, with the example"],
)
def test_changing_a_name_as_the_docs_say_ends_green_and_the_command_prints_the_version(
    made_from_releases: Callable[..., Path], tmp_path: Path, answer: str, example: str
) -> None:
    recipe = section(page("updating.md"), f"### Change `{answer}`")
    find, check = blocks(recipe, "console")
    edits = REPLACE.findall(recipe)
    assert len(edits) == {"project_slug": 1, "package_name": 2}[answer]
    shell = user(tmp_path)
    project = made_from_releases(tmp_path / "project", ("--data", f"example={example}"))

    listed: list[str] = []
    for words in commands(find):
        args = words
        if "*" in words[-2]:  # `git mv FOLDER/* DEST`: the shell expands the glob
            args = [*words[:-2], *sorted(str(path.relative_to(project)) for path in project.glob(words[-2])), words[-1]]
        if args[:2] == ["git", "grep"]:
            listed = run(args, project, shell.env).stdout.split()
        else:
            shell.follow(shlex.join(args), project)
    assert listed, "the search finds the old name in the files the user owns"
    for name in listed:  # the edits the page states in words
        path = project / name
        text = path.read_text(encoding="utf-8")
        for whole_word, old, new in edits:
            text = re.sub(rf"\b{re.escape(old)}\b" if whole_word else re.escape(old), new, text)
        path.write_text(text, encoding="utf-8")
    run(["git", "add", "-A"], project, shell.env)
    shell.follow(check, project)  # pre-commit, then pytest with the 100 % gate

    command = commands(check)[-1]
    printed = run(command, project, {**shell.env, "UV_OFFLINE": "1"}).stdout
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    version = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert printed == f"{recorded['project_slug']} {version}\n"
    assert (project / "src" / recorded["package_name"] / "cli.py").is_file()


# --- the template README: the parity caveat ----------------------------------


def test_cookiecutter_renders_jinja_in_command_line_values_and_copier_does_not(template: Path, tmp_path: Path) -> None:
    caveat = next(part for part in section(TEMPLATE_README, "## Generate a project").split("\n\n") if "{{" in part)
    (value,) = [span for span in code_spans(caveat) if "{{" in span]
    (key_value,) = commands(value)[0]
    expected = next(span for span in code_spans(caveat) if span.isdigit())
    slug = "project_slug=seven-sevens"
    env = {**os.environ, **isolated_cookiecutter(tmp_path / "cookiecutter-home")}
    cookiecutter: list[str | Path] = [
        sys.executable,
        "-m",
        "cookiecutter",
        "--no-input",
        "-o",
        tmp_path / "cc",
        template,
    ]
    run([*cookiecutter, key_value, slug], tmp_path, env)
    copier = [sys.executable, "-m", "copier", "copy", "--defaults", "-d", key_value, "-d", slug]
    run([*copier, template, tmp_path / "cp"], tmp_path, env)

    key, typed = key_value.split("=", 1)
    for project, value in ((tmp_path / "cc" / "seven-sevens", expected), (tmp_path / "cp", typed)):
        recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
        assert recorded[key] == value, project
