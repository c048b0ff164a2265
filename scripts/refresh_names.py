"""Derive the names a project may not take, and the slug's transliteration.

    uv run python scripts/refresh_names.py

scripts/refresh_locks.py runs this after it refreshes the locks. For each
shipped lock it renders the default project, syncs the locked environment
and lists what that environment really holds:

- hooks/reserved-imports.txt: every top-level import name in site-packages,
  every standard-library module (read off the interpreter's own folders, so
  ``test`` and ``idlelib`` are there too), keywords, every name the generated
  .gitignore ignores and the project's own folders. package_name may take
  none of them.
- hooks/reserved-commands.txt: every locked distribution, every file in
  .venv/bin (console scripts, ``python3``, ``activate``...) and every command
  the generated tooling runs (pre-commit entries, README commands).
  project_slug becomes a command in .venv/bin, first on PATH inside
  ``uv run``, so it may take none of them.

It also writes the derived project_slug default into cookiecutter.json and
copier.yml, in Jinja both engines share without extensions: accented Latin
letters become their base letter (NFKD: ``Café Ünïcode`` gives
``cafe-unicode``), a name starting with a digit gets ``py-`` in front, and a
long name is cut at the last whole word within 32 characters.
"""

from __future__ import annotations

import json
import keyword
import re
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import refresh_questions
from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.locks import LOCKS, OWN_NAME, lock_choices
from tools.render import ROOT, with_cookiecutter

IMPORTS = ROOT / "hooks" / "reserved-imports.txt"
COMMANDS = ROOT / "hooks" / "reserved-commands.txt"
DEFAULT_SLUG = "my-project"
#: Import names no environment lists but a package would still clash with:
#: the project's own folders and benchmark script, the modules site imports
#: at every start, and the debuggers pre-commit's debug-statements hook refuses.
EXTRA_IMPORTS = (
    "benchmarks",
    "conftest",
    "run",
    "src",
    "tests",
    "sitecustomize",
    "usercustomize",
    "bpdb",
    "ipdb",
    "pdbr",
    "pudb",
    "pydevd_pycharm",
    "q",
    "rdb",
    "rpdb",
    "wdb",
)
#: Commands run by the tools themselves, never written in a config file:
#: pre-commit and copier run git; users run pip inside ``uv run``.
EXTRA_COMMANDS = ("git", "pip", "pip3", "uvx")
#: Lowercase letters with no decomposition, spelled the usual way.
SPELLED = {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
UNDECOMPOSED = {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i"}  # noqa: RUF001 -- Turkish dotless i, on purpose
LATIN = [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]
#: Lists what one interpreter and its site-packages hold; run in the project.
LIST_ENVIRONMENT = r"""
import json, os, sys, sysconfig
def names(folder):
    found = set()
    for entry in os.listdir(folder) if os.path.isdir(folder) else ():
        if entry.endswith((".dist-info", ".egg-info", ".data", ".pth")):
            continue
        stem = entry.split(".")[0]
        if stem.isidentifier():
            found.add(stem.lower())
    return found
paths = sysconfig.get_paths()
stdlib = names(paths["stdlib"]) | names(os.path.join(paths["stdlib"], "lib-dynload"))
stdlib |= set(sys.builtin_module_names) | set(sys.stdlib_module_names)
print(json.dumps({"stdlib": sorted(stdlib), "site": sorted(names(paths["purelib"]) | names(paths["platlib"]))}))
"""


def transliteration() -> tuple[str, str]:
    """Accented lowercase Latin letters and their base letters, for str.maketrans."""
    pairs = dict(UNDECOMPOSED)
    for code in LATIN:
        letter = chr(code)
        if not letter.isalpha() or letter != letter.lower():
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c))
        if len(base) == 1 and "a" <= base <= "z" and base != letter:
            pairs[letter] = base
    ordered = sorted(pairs)
    return "".join(ordered), "".join(pairs[letter] for letter in ordered)


def slug_default(prefix: str) -> str:
    """Return the derived project_slug expression; ``prefix`` is ``cookiecutter.`` or empty."""
    accented, plain = transliteration()
    spelled = "".join(f".replace('{k}', '{v}')" for k, v in SPELLED.items())
    letters = f"{prefix}project_name.lower().translate(''.maketrans('{accented}', '{plain}')){spelled}"
    return (
        f"{{% set slug = (({letters} | select('in', 'abcdefghijklmnopqrstuvwxyz0123456789 -_') | join)"
        ".replace('_', ' ').replace('-', ' ').split() | join('-')) %}"
        "{% set slug = ('py-' if slug[:1].isdigit() else '') ~ slug %}"
        "{{ slug if slug | length <= 32 else slug[:33].rsplit('-', 1)[0][:32] }}"
    )


def write_slug_defaults() -> None:
    """Put the derived expression into copier.yml, then cookiecutter.json derived from it."""
    copier_yml = ROOT / "copier.yml"
    text = copier_yml.read_text(encoding="utf-8")
    line = re.compile(r"(?m)^(project_slug:\n(?:  .*\n)*?  default: >-\n    ).*$")
    if not line.search(text):
        sys.exit("refresh_names: copier.yml has no folded project_slug default to replace")
    text = line.sub(lambda match: match.group(1) + slug_default(""), text, count=1)
    copier_yml.write_text(text, encoding="utf-8")
    for path, derived in refresh_questions.derived().items():
        path.write_text(derived, encoding="utf-8")


def environment(project: Path, python_min: str) -> dict[str, set[str]]:
    """Sync the locked environment of ``project`` and list what it holds."""
    run(["uv", "sync", "--locked", "--quiet"], cwd=project, env=project_env(find_python(python_min)))
    return held_names(project, DEFAULT_SLUG)


def held_names(project: Path, own_command: str) -> dict[str, set[str]]:
    """Return the stdlib and site-packages import names and the .venv/bin commands of a synced project."""
    listed = json.loads(run([project / ".venv" / "bin" / "python", "-c", LIST_ENVIRONMENT], cwd=project).stdout)
    commands = {path.name for path in (project / ".venv" / "bin").iterdir()} - {own_command}
    return {"stdlib": set(listed["stdlib"]), "site": set(listed["site"]), "bin": commands}


def tooling_commands(project: Path) -> set[str]:
    """Return the first word of every pre-commit hook and every README's command.

    Those run inside ``uv run``, where .venv/bin comes first on PATH; CI
    workflow steps run outside it, where the project's command is not found
    first.
    """
    lines: list[str] = []
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    lines += [hook["entry"] for repo in hooks["repos"] for hook in repo["hooks"]]
    for readme in project.rglob("README.md"):  # the project's, and the example's own
        if ".venv" in readme.relative_to(project).parts:
            continue
        text = readme.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:console|sh|bash|shell)\n(.*?)```", text, flags=re.DOTALL):
            lines += block.splitlines()
    words = {line.split()[0] for line in lines if line.split() and not line.lstrip().startswith("#")}
    return {word for word in words if re.fullmatch(r"[a-z][a-z0-9-]*", word)}


def ignored_names(gitignore: str) -> set[str]:
    """Names the generated .gitignore ignores that a package could take."""
    names: set[str] = set()
    for line in gitignore.splitlines():
        pattern = line.strip().rstrip("/")
        if not pattern or pattern.startswith(("#", "!")) or "." in pattern:
            continue  # a name with a dot is never an import name
        if not re.fullmatch(r"[A-Za-z0-9_]+", pattern):
            sys.exit(f"refresh_names: cannot tell which package names .gitignore pattern {line!r} ignores")
        names.add(pattern.lower())
    return names


def locked_distributions() -> set[str]:
    """Every distribution in every shipped lock but the project's own."""
    return {
        package["name"]
        for lock in LOCKS.glob("*.lock")
        for package in tomllib.loads(lock.read_text(encoding="utf-8"))["package"]
        if package["name"] != OWN_NAME
    }


def main() -> None:
    """Derive both lists from every shipped lock, and the slug default."""
    imports = set(keyword.kwlist) | set(EXTRA_IMPORTS)
    commands = locked_distributions() | set(EXTRA_COMMANDS)
    with tempfile.TemporaryDirectory() as tmp:
        for python_min, example in lock_choices():
            answers = {"python_min": python_min, "example": example}
            project = with_cookiecutter(ROOT, Path(tmp, f"{python_min}-{example}"), answers, hooks=False)
            subprocess.run(["git", "init", "-q"], cwd=project, check=True, timeout=60)  # noqa: S607 -- git from PATH
            held = environment(project, python_min)
            imports |= (
                held["stdlib"] | held["site"] | ignored_names((project / ".gitignore").read_text(encoding="utf-8"))
            )
            commands |= held["bin"] | tooling_commands(project)
    imports -= {"my_project", "_my_project"}
    IMPORTS.write_text("\n".join(sorted(imports)) + "\n", encoding="utf-8")
    COMMANDS.write_text("\n".join(sorted(commands)) + "\n", encoding="utf-8")
    write_slug_defaults()
    print(json.dumps({"reserved_imports": len(imports), "reserved_commands": len(commands)}))


if __name__ == "__main__":
    main()
