"""`copier update` keeps every generated project current, and loses nothing of the user's.

The template repositories are our own, tagged v1 and v2 (see
tools/template_versions.py). Each test starts from a copy of a project that
cookiecutter or copier made at v1 and committed, edits it as a user would,
and updates it. No network, no --trust.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from copier import VcsRef, run_copy
from copier.errors import UserMessageError

from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import commit_all, git
from tools.template_versions import (
    ADDED,
    ADDED_TEXT,
    CORE_FIX_V2,
    EDITORCONFIG_V2,
    ENGINES,
    NEW_DEFAULT,
    NEW_QUESTION,
    REMOVED,
    V2_TEMPLATE_CHANGES,
    V2_USER_OWNED_CHANGES,
    WITHOUT_EXAMPLE,
    Releases,
    committed,
    copier_cli,
    generate,
    recorded,
    release_v1,
    release_v2,
    releases,
    rendered,
    status,
    update,
)
from tools.trees import files

MARKERS = ("<<<<<<< before updating", ">>>>>>> after updating")
#: What a clean v1 -> v2 update changes in a project: v2's template-owned
#: changes and the answers file. User-owned files v2 changed are not in it.
V2_STATUS = {*V2_TEMPLATE_CHANGES, ".copier-answers.yml"}
GREETING = '''"""Greetings: a module the user added after generating the project."""


def greet(name: str) -> str:
    """Return a friendly greeting for ``name``."""
    return f"Hello, {name}!"
'''
#: The user's own edit to a template-owned module, near its top (v2 appends).
USER_LINE_AFTER = "import re\n"
USER_LINE = "import sys  # noqa: F401 -- the user's own edit\n"
USER_IDENTITY = ("-c", "user.name=A User", "-c", "user.email=user@example.com", "-c", "commit.gpgsign=false")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Return the engine that generated the project."""
    return str(request.param)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    """Template v1 and v2, and the projects each engine made at v1 (read only)."""
    return releases(tmp_path_factory.mktemp("releases"))


@pytest.fixture
def template_repo(released: Releases) -> Path:
    """Return the template repository, tagged v1 and v2 (conftest's `template` has no v2)."""
    return released.template


@pytest.fixture
def project(engine: str, released: Releases, tmp_path: Path) -> Path:
    """Return a project ``engine`` made at v1 and the user committed: this test's own copy."""
    return Path(shutil.copytree(released.made_at_v1[engine], tmp_path / "project", symlinks=True))


@pytest.fixture
def bare_project(engine: str, released: Releases, tmp_path: Path) -> Path:
    """Return a project ``engine`` made at v1 with ``example=none``: this test's own copy."""
    made = released.made_without_example[engine]
    return Path(shutil.copytree(made, tmp_path / "bare-project", symlinks=True))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def text_files(project: Path) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in files(project).items()}


def assert_no_leftovers(project: Path) -> None:
    """No .rej file and no conflict marker anywhere in the project."""
    assert not list(project.rglob("*.rej"))
    marked = [name for name, text in text_files(project).items() if any(m in text for m in MARKERS)]
    assert not marked, f"conflict markers in {marked}"


def unmerged(project: Path) -> set[str]:
    return set(git("diff", "--name-only", "--diff-filter=U", cwd=project).split())


def lock(project: Path, env: dict[str, str]) -> None:
    """``uv lock``: from uv's cache when it has everything, else from the index."""
    if run(["uv", "lock", "--offline"], project, env, check=False).returncode != 0:
        run(["uv", "lock"], project, env)


def make_user_edits(project: Path, env: dict[str, str]) -> None:
    """Edit the project the way its owner would, and commit."""
    package = str(recorded(project)["package_name"])
    append(project / "README.md", "\n## Our notes\n\nWritten by the user.\n")
    redact = project / "src" / package / "core" / "redact.py"  # template-owned
    redact.write_text(
        redact.read_text(encoding="utf-8").replace(USER_LINE_AFTER, USER_LINE_AFTER + USER_LINE), encoding="utf-8"
    )
    (project / "src" / package / "greeting.py").write_text(GREETING, encoding="utf-8")
    append(project / ".gitignore", "\n# Ours\n/scratch/\n")  # template-owned; v2 leaves its end alone
    pyproject = project / "pyproject.toml"
    text, count = re.subn(
        r"^dependencies = \[",
        '\\g<0>\n    "pyyaml>=6.0",',
        pyproject.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert count == 1
    pyproject.write_text(text, encoding="utf-8")
    lock(project, env)
    assert "uv.lock" in status(project), "adding a dependency should change the lock"
    commit_all(project, "User edits")


def assert_passes_own_checks(project: Path, env: dict[str, str]) -> None:
    for args in (
        ["uv", "lock", "--check"],
        ["uv", "sync", "--locked"],
        ["uv", "run", "--frozen", "ruff", "check"],
        ["uv", "run", "--frozen", "ruff", "format", "--check"],
    ):
        run(args, project, env)


def test_update_brings_every_template_change_and_keeps_every_user_edit(project: Path) -> None:
    env = project_env(find_python(str(recorded(project)["python_min"])))
    make_user_edits(project, env)
    user_answers = recorded(project)

    code, output = copier_cli(["update", "--defaults"], project)

    assert code == 0, output
    assert "sturdy template v2 applied" in output
    assert "uv lock" in output  # the message after update names the next commands
    assert "git diff --name-only --diff-filter=U" in output  # how to find conflicts
    assert set(status(project)) == V2_STATUS
    assert_no_leftovers(project)
    now = text_files(project)
    # Every template change arrived...
    assert now[".editorconfig"] == committed(project, ".editorconfig") + rendered(EDITORCONFIG_V2)
    assert now[ADDED] == rendered(ADDED_TEXT)
    assert REMOVED not in now
    package = user_answers["package_name"]
    redact = now[f"src/{package}/core/redact.py"]  # the machinery's fix arrived...
    assert redact.endswith(CORE_FIX_V2)
    assert USER_LINE_AFTER + USER_LINE in redact  # ...beside the user's edit
    pyproject = tomllib.loads(now["pyproject.toml"])
    assert pyproject["tool"]["sturdy"]["line-length"] == int(NEW_DEFAULT)
    # ...and every user edit survived, user-owned files exactly as committed.
    assert "pyyaml>=6.0" in pyproject["project"]["dependencies"]
    assert now[".gitignore"].endswith("\n# Ours\n/scratch/\n")
    for name in ("README.md", "uv.lock", f"src/{package}/greeting.py", *V2_USER_OWNED_CHANGES):
        assert now[name] == committed(project, name), name
    assert recorded(project) == {**user_answers, "_commit": "v2", NEW_QUESTION: NEW_DEFAULT}
    assert_passes_own_checks(project, env)


def test_a_conflicting_edit_ends_as_inline_markers_and_nothing_else_changes(project: Path) -> None:
    # Where v2 appends its [*.py] section, the user appended their own.
    append(project / ".editorconfig", "\n[*.py]\nmax_line_length = 120\n")
    # The user also edited the file that v2 removes.
    append(project / REMOVED, "Edited by the user.\n")
    commit_all(project, "User edits")

    update(project)

    editorconfig = (project / ".editorconfig").read_text(encoding="utf-8")
    conflict = re.search(
        r"^<<<<<<< before updating\n(.*)^=======\n(.*)^>>>>>>> after updating\n",
        editorconfig,
        flags=re.MULTILINE | re.DOTALL,
    )
    assert conflict, editorconfig
    assert "max_line_length = 120" in conflict.group(1)
    assert f"max_line_length = {NEW_DEFAULT}" in conflict.group(2)
    assert unmerged(project) == {".editorconfig"}
    assert set(status(project)) == V2_STATUS
    assert not list(project.rglob("*.rej"))
    assert [name for name, text in text_files(project).items() if MARKERS[0] in text] == [".editorconfig"]
    # copier deletes a file its template removed even when the user edited it:
    # git status shows the deletion, and the user's version is still in HEAD.
    assert not (project / REMOVED).exists()
    assert status(project)[REMOVED] == " D"
    assert committed(project, REMOVED).endswith("Edited by the user.\n")


def test_an_example_the_user_deleted_stays_deleted(project: Path) -> None:
    # The files the user owns are excluded from updates (copier.yml _exclude),
    # so removing an unwanted example is for good.
    package = recorded(project)["package_name"]
    for folder in (f"src/{package}/downloader", "tests/downloader", "benchmarks"):
        shutil.rmtree(project / folder)
    commit_all(project, "Remove the example")

    update(project)

    assert not example_files(project)
    assert set(status(project)) == V2_STATUS


def test_an_unedited_project_updated_to_v2_is_a_fresh_v2_render(
    engine: str, project: Path, template_repo: Path, tmp_path: Path
) -> None:
    v1 = files(project)

    update(project)

    fresh = files(generate(engine, template_repo, tmp_path / "fresh"))
    # Files the user owns once generated keep their v1 form even though v2
    # changed them; every other file is byte for byte a fresh v2 render.
    for name in V2_USER_OWNED_CHANGES:
        assert fresh[name] != v1[name]
    assert files(project) == {**fresh, **{name: v1[name] for name in V2_USER_OWNED_CHANGES}}


def test_changing_an_answer_rewrites_only_what_depends_on_it(
    project: Path, template_repo: Path, tmp_path: Path
) -> None:
    append(project / "README.md", "\nWritten by the user.\n")
    commit_all(project, "User edits")
    before = text_files(project)

    # v2 exists, but changing an answer must not pull it in.
    update(project, data={"license": "Apache-2.0"}, vcs_ref=VcsRef.CURRENT)

    after = text_files(project)
    assert {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)} == {
        "LICENSE",
        "pyproject.toml",
        ".copier-answers.yml",
    }
    fresh = tmp_path / "fresh"
    run_copy(str(template_repo), fresh, data={"license": "Apache-2.0"}, vcs_ref="v1", defaults=True, quiet=True)
    assert after["LICENSE"] == (fresh / "LICENSE").read_text(encoding="utf-8")
    assert after["pyproject.toml"] == before["pyproject.toml"].replace('license = "MIT"', 'license = "Apache-2.0"')
    assert after["pyproject.toml"] != before["pyproject.toml"]
    assert recorded(project)["license"] == "Apache-2.0"
    assert recorded(project)["_commit"] == "v1"


@pytest.mark.parametrize("dirt", ["edited", "untracked"])
def test_an_update_of_a_dirty_project_is_refused_and_changes_nothing(project: Path, dirt: str) -> None:
    if dirt == "edited":
        append(project / "README.md", "Work in progress.\n")
    else:
        (project / "notes.txt").write_text("Work in progress.\n", encoding="utf-8")
    before, before_status = files(project), status(project)

    # The command line prints this message alone, in red, and exits 1.
    with pytest.raises(
        UserMessageError,
        match=r"^Destination repository is dirty; cannot continue\. "
        r"Please commit or stash your local changes and retry\.$",
    ):
        update(project)

    assert files(project) == before
    assert status(project) == before_status
    assert recorded(project)["_commit"] == "v1"


def test_adopting_an_existing_repository_loses_nothing_and_then_updates(
    engine: str, released: Releases, tmp_path: Path
) -> None:
    # The README's recipe: render the template alone and commit it (as
    # `generate` did for this v1 render), then merge that history in.
    render = released.made_at_v1[engine]
    existing = tmp_path / "existing"
    ours = {
        "README.md": "# My Project\n\nOur tool, long before the template.\n",
        "pyproject.toml": '[project]\nname = "my-project"\nversion = "2.3.0"\nrequires-python = ">=3.12"\n',
        ".gitignore": "*.log\n",
        "src/my_project/__init__.py": '"""Our tool."""\n\n__version__ = "2.3.0"\n',
        "src/my_project/core.py": '"""Our core."""\n\nANSWER = 42\n',
        # A file that happens to be exactly the template's:
        ".editorconfig": (render / ".editorconfig").read_text(encoding="utf-8"),
    }
    for name, text in ours.items():
        (existing / name).parent.mkdir(parents=True, exist_ok=True)
        (existing / name).write_text(text, encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=existing)
    commit_all(existing, "Our history")

    git("fetch", "-q", str(render), "HEAD", cwd=existing)
    merge = run(
        ["git", *USER_IDENTITY, "merge", "--allow-unrelated-histories", "--no-edit", "FETCH_HEAD"],
        existing,
        check=False,
    )

    assert merge.returncode == 1, merge.stdout + merge.stderr
    template_side = text_files(render)
    differing = {name for name in ours if template_side.get(name, ours[name]) != ours[name]}
    assert differing == {"README.md", "pyproject.toml", ".gitignore", "src/my_project/__init__.py"}
    assert unmerged(existing) == differing
    merged = text_files(existing)
    for name in differing:  # both versions are there, between inline markers
        assert re.search(
            r"^<<<<<<< HEAD\n.*^=======\n.*^>>>>>>> \w+\n", merged[name], flags=re.MULTILINE | re.DOTALL
        ), name
        assert set(ours[name].splitlines()) <= set(merged[name].splitlines()), name
        assert set(template_side[name].splitlines()) <= set(merged[name].splitlines()), name
    for name in ours.keys() - differing:
        assert merged[name] == ours[name], name
    assert template_side.keys() <= merged.keys()

    # The user resolves: their README and package, the template's config.
    git("checkout", "--ours", "README.md", "src/my_project/__init__.py", cwd=existing)
    git("checkout", "--theirs", "pyproject.toml", ".gitignore", cwd=existing)
    append(existing / ".gitignore", ours[".gitignore"])
    commit_all(existing, "Adopt the sturdy template")

    update(existing)

    assert set(status(existing)) == V2_STATUS
    assert_no_leftovers(existing)
    now = text_files(existing)
    assert now[".editorconfig"].endswith(f"max_line_length = {NEW_DEFAULT}\n")
    assert ADDED in now
    for name in ("README.md", "src/my_project/__init__.py", "src/my_project/core.py"):
        assert now[name] == ours[name], name
    assert recorded(existing)["_commit"] == "v2"


def test_a_relative_template_path_is_recorded_so_that_it_resolves_later(engine: str, tmp_path: Path) -> None:
    template = release_v1(tmp_path / "template")
    cwd = tmp_path / "work"
    cwd.mkdir()
    relative = os.path.relpath(template, cwd)
    assert not Path(relative).is_absolute()
    if engine == "cookiecutter":  # a shell sets PWD; the hooks read it
        shell_env = {**os.environ, "PWD": str(cwd)}
        run(
            [sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", "out", relative],
            cwd,
            shell_env,
        )
    else:
        code, output = copier_cli(["copy", "--defaults", relative, "out/my-project"], cwd)
        assert code == 0, output
        assert "uv sync --locked" in output  # the message after copy names the next commands
    project = cwd / "out" / "my-project"

    source = str(recorded(project)["_src_path"])
    assert Path(source).is_absolute(), f"{engine} recorded _src_path {source!r}"
    assert Path(source).resolve() == template.resolve()

    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Generate from the sturdy template")
    release_v2(template)
    # Later, from anywhere: here, neither where the project was made nor in it.
    assert Path.cwd() not in (cwd, project)
    update(project)
    assert recorded(project)["_commit"] == "v2"


# --- example=none, and changing the answer later ------------------------------

#: What an example file is: the downloader's modules, tests and benchmarks.
EXAMPLE_FILE = re.compile(r"^(benchmarks/|src/\w+/downloader/|tests/downloader/)")


def example_files(project: Path) -> set[str]:
    return {name for name in files(project) if EXAMPLE_FILE.match(name)}


def test_a_project_without_the_example_updates_like_any_other(bare_project: Path) -> None:
    env = project_env(find_python(str(recorded(bare_project)["python_min"])))
    assert not example_files(bare_project)
    make_user_edits(bare_project, env)
    user_answers = recorded(bare_project)

    code, output = copier_cli(["update", "--defaults"], bare_project)

    assert code == 0, output
    assert set(status(bare_project)) == V2_STATUS
    assert_no_leftovers(bare_project)
    now = text_files(bare_project)
    assert now[".editorconfig"] == committed(bare_project, ".editorconfig") + rendered(EDITORCONFIG_V2)
    assert now[ADDED] == rendered(ADDED_TEXT)
    pyproject = tomllib.loads(now["pyproject.toml"])
    assert pyproject["tool"]["sturdy"]["line-length"] == int(NEW_DEFAULT)
    assert "pyyaml>=6.0" in pyproject["project"]["dependencies"]
    assert not [dep for dep in pyproject["project"]["dependencies"] if dep.startswith(("httpx2", "tenacity"))]
    assert recorded(bare_project) == {**user_answers, "_commit": "v2", NEW_QUESTION: NEW_DEFAULT}
    assert not example_files(bare_project)
    assert_passes_own_checks(bare_project, env)


def test_an_unedited_project_without_the_example_updated_to_v2_is_a_fresh_v2_render(
    engine: str, bare_project: Path, template_repo: Path, tmp_path: Path
) -> None:
    v1 = files(bare_project)

    update(bare_project)

    fresh = files(generate(engine, template_repo, tmp_path / "fresh", WITHOUT_EXAMPLE))
    assert files(bare_project) == {**fresh, **{name: v1[name] for name in V2_USER_OWNED_CHANGES}}


@pytest.mark.parametrize("engine", ["copier"])  # pyproject.toml is the same from both (tests/rendering/)
def test_dropping_the_example_by_answer_changes_the_dependencies_and_keeps_its_files(
    project: Path, template_repo: Path, tmp_path: Path
) -> None:
    before = files(project)
    assert example_files(project)

    update(project, data={"example": "none"}, vcs_ref=VcsRef.CURRENT)

    after = files(project)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert changed == {"pyproject.toml", ".copier-answers.yml"}
    bare = tmp_path / "bare"
    run_copy(str(template_repo), bare, data=WITHOUT_EXAMPLE, vcs_ref="v1", defaults=True, quiet=True)
    assert after["pyproject.toml"] == (bare / "pyproject.toml").read_bytes()
    assert example_files(project) == {name for name in before if EXAMPLE_FILE.match(name)}
    assert recorded(project)["example"] == "none"
    # The README's warning: the example's code stays, its dependencies go.
    env = project_env(find_python(str(recorded(project)["python_min"])))
    lock(project, env)
    run(["uv", "sync", "--locked"], project, env)
    tests = run(["uv", "run", "--frozen", "pytest", "-q", "-p", "no:cacheprovider"], project, env, check=False)
    assert tests.returncode != 0
    assert "No module named 'httpx2'" in tests.stdout + tests.stderr


def test_adding_the_example_by_answer_changes_the_dependencies_and_adds_no_file(
    bare_project: Path, template_repo: Path, tmp_path: Path
) -> None:
    before = files(bare_project)

    update(bare_project, data={"example": "downloader"}, vcs_ref=VcsRef.CURRENT)

    after = files(bare_project)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert changed == {"pyproject.toml", ".copier-answers.yml"}
    full = tmp_path / "full"
    run_copy(str(template_repo), full, vcs_ref="v1", defaults=True, quiet=True)
    assert after["pyproject.toml"] == (full / "pyproject.toml").read_bytes()
    assert not example_files(bare_project)
    assert recorded(bare_project)["example"] == "downloader"


@pytest.mark.parametrize("engine", ["copier"])  # one engine: the recipe copies files, it renders nothing
def test_adding_the_example_as_the_readme_says_gives_the_project_example_downloader_generates(
    bare_project: Path, template_repo: Path, tmp_path: Path
) -> None:
    marker = "# downloader example"
    throwaway = tmp_path / "throwaway"
    answers = {**WITHOUT_EXAMPLE, "example": "downloader"}
    run_copy(str(template_repo), throwaway, data=answers, vcs_ref="v1", defaults=True, quiet=True)
    theirs, ours = files(throwaway), files(bare_project)
    # Copy in the files the project lacks...
    for name in theirs.keys() - ours.keys():
        (bare_project / name).parent.mkdir(parents=True, exist_ok=True)
        (bare_project / name).write_bytes(theirs[name])
    # ...the marked lines: each file is the project's own plus those lines...
    package = recorded(bare_project)["package_name"]
    for name in (f"src/{package}/cli.py", f"src/{package}/settings.py"):
        lines = theirs[name].decode().splitlines(keepends=True)
        assert "".join(line for line in lines if not line.rstrip().endswith(marker)) == ours[name].decode()
        (bare_project / name).write_bytes(theirs[name])
    # ...and the end of .env.example.
    assert theirs[".env.example"].startswith(ours[".env.example"])
    (bare_project / ".env.example").write_bytes(theirs[".env.example"])
    commit_all(bare_project, "Add the example")

    update(bare_project, data={"example": "downloader"}, vcs_ref=VcsRef.CURRENT)

    # The downloader project, file for file (tests/generated/ checks it is green)...
    now = files(bare_project)
    assert {name for name in now.keys() | theirs.keys() if now.get(name) != theirs.get(name)} <= {
        "README.md",
        "uv.lock",
    }
    # ...once `uv lock` brings the lock in line with it.
    env = project_env(find_python(str(recorded(bare_project)["python_min"])))
    lock(bare_project, env)
    run(["uv", "lock", "--check", "--offline"], bare_project, env)
    locked = {
        package["name"] for package in tomllib.loads((bare_project / "uv.lock").read_text(encoding="utf-8"))["package"]
    }
    assert locked == {package["name"] for package in tomllib.loads(theirs["uv.lock"].decode())["package"]}
