"""Write ``.copier-answers.yml`` from a cookiecutter run, as copier would.

With this file, ``copier update`` works on a project that cookiecutter made:
copier needs the answers, where the template lives (``_src_path``) and which
template version the project was made from (``_commit``).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import yaml  # cookiecutter depends on PyYAML and Jinja2, so every hook can import them
from cookiecutter.config import BUILTIN_ABBREVIATIONS
from jinja2 import Environment

if TYPE_CHECKING:
    from collections.abc import Mapping

FILE_NAME = ".copier-answers.yml"
HEADER = "# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
#: Sources copier and every updater (Renovate among them) can follow as they
#: are; anything else is an abbreviation or a local path.
REMOTE_PREFIXES = ("git@", "git+", "https://", "http://", "ssh://", "file://")
GIT_TIMEOUT_SECONDS = 30
#: A tag copier updates to: a final release, with or without a ``v`` (no pre- or dev releases).
RELEASE_TAG = re.compile(r"^[vV]?\d+(\.\d+)*(\.post\d+)?$")


def source(template: str, repo_dir: Path) -> str:
    """Return ``_src_path``: the template's URL, or its absolute, normalised path.

    An abbreviation (``gh:OWNER/REPO``) is written as the public URL it
    stands for (cookiecutter's built-in expansion, the one copier uses too),
    so Renovate and copier can follow it, whatever mirror a user's own
    cookiecutter configuration maps it to. A
    relative path would resolve against wherever ``copier update`` runs
    later, and one with ``..`` breaks once a folder on the way is gone.
    """
    prefix, colon, rest = template.partition(":")
    if colon and prefix in BUILTIN_ABBREVIATIONS and not template.startswith(REMOTE_PREFIXES):
        template = BUILTIN_ABBREVIATIONS[prefix].format(rest)
    if template.startswith(REMOTE_PREFIXES):
        return without_credentials(template)
    return os.path.normpath(os.path.abspath(repo_dir))  # noqa: PTH100 -- keeps symlinks as named; resolve() follows them


def without_credentials(url: str) -> str:
    """Return ``url`` without a password, or any user of an http(s) URL (a token).

    The answers file is committed; git asks its credential helper when the
    update clones. An ssh user (``ssh://git@host``) names an account, not a
    secret, and stays.
    """
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    keep_user = parts.scheme.removeprefix("git+") == "ssh" and parts.username
    netloc = f"{parts.username}@{host}" if keep_user else host
    return urlunsplit(parts._replace(netloc=netloc))


def unfollowable(template: str) -> str | None:
    """Say why no ``copier update`` could follow ``template``, or ``None``.

    cookiecutter unpacks a zip into a folder it deletes afterwards, and copier
    reads templates from git or a folder only.
    """
    if template.lower().endswith(".zip"):
        return (
            f"template {template!r} is a zip, which copier update cannot follow:"
            " generate from the template's git URL or a folder"
        )
    return None


def _git(repo_dir: Path, *args: str) -> str | None:
    """Return what git prints in ``repo_dir``, stripped, or None when it fails."""
    try:
        result = subprocess.run(  # noqa: S603 -- git with the hooks' own arguments, no shell
            ["git", *args],  # noqa: S607 -- git from PATH, as copier runs it
            cwd=repo_dir,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip()


def is_repository(repo_dir: Path) -> bool:
    """Whether ``repo_dir`` is the root of a git work tree: only then does copier read it as a git template."""
    top = _git(repo_dir, "rev-parse", "--show-toplevel")
    return top is not None and Path(top).resolve() == repo_dir.resolve()


def commit(repo_dir: Path) -> str | None:
    """Return the template version as copier names it, or None where copier records none."""
    return (_git(repo_dir, "describe", "--tags", "--always") or None) if is_repository(repo_dir) else None


def _is_dirty(repo_dir: Path) -> bool:
    return bool(_git(repo_dir, "status", "--porcelain"))


def newest_release(repo_dir: Path) -> str | None:
    """Return the newest tag copier would update to (a final release, in git's version order), or None."""
    tags = (_git(repo_dir, "tag", "--list", "--sort=-v:refname") or "").splitlines()
    return next((tag for tag in tags if RELEASE_TAG.match(tag)), None)


def unlike_copier(template: str, repo_dir: Path, checkout: str | None) -> str | None:
    """Say why cookiecutter would render other than copier for the same request, or None.

    copier renders, from git, the newest release tag, or the ref that
    ``--vcs-ref`` names, never uncommitted edits unless that ref is HEAD.
    cookiecutter renders what it has: a clone's default branch, or a folder
    with its edits (``--checkout`` moves a clone, never a folder).
    """
    if not is_repository(repo_dir):
        return None  # both render the folder as it is and record no release; the next steps say so
    head = _git(repo_dir, "rev-parse", "HEAD")
    dirty = _is_dirty(repo_dir)
    here = f"{_git(repo_dir, 'describe', '--tags', '--always')}{' with uncommitted changes' if dirty else ''}"
    if checkout:
        if checkout == "HEAD" or _git(repo_dir, "rev-parse", "--verify", "-q", f"{checkout}^{{commit}}") == head:
            return None
        return (
            f"template {template!r} is a folder at {here}, and cookiecutter renders a folder as it is,"
            f" whatever --checkout says: check out {checkout} in it first"
        )
    release = newest_release(repo_dir)
    if release is None or (_git(repo_dir, "rev-parse", f"{release}^{{commit}}") == head and not dirty):
        return None
    return (
        f"template {template!r} is at {here}, not at its newest release {release}, which copier copy renders:"
        f" add --checkout {release} (a folder: check it out there), or --checkout HEAD to generate it as it is"
    )


def unrecorded(template: str, repo_dir: Path) -> str | None:
    """Say what the rendered project holds that its ``_commit`` does not name, or None."""
    if not is_repository(repo_dir) or not _is_dirty(repo_dir):
        return None
    return (
        f"template {template!r} has uncommitted changes: the project holds them, but its _commit"
        f" {commit(repo_dir)} does not, so copier update will take them for your edits"
    )


def render(context: Mapping[str, object], src_path: str, version: str | None) -> str:
    """Return the answers file: every question's answer plus where it came from."""
    answers: dict[str, object] = {key: value for key, value in context.items() if not key.startswith("_")}
    answers["_src_path"] = src_path
    if version is not None:
        answers["_commit"] = version
    body = yaml.dump(answers, indent=4, allow_unicode=True, default_flow_style=False)
    return HEADER + body


def copier_config(repo_dir: Path) -> dict[str, object]:
    """Read copier.yml, which also says what a cookiecutter run leaves out and prints."""
    config: dict[str, object] = yaml.safe_load((repo_dir / "copier.yml").read_text(encoding="utf-8"))
    return config


def excluded_from_copy(config: Mapping[str, object], answers: Mapping[str, object]) -> list[str]:
    """Return the paths copier.yml's ``_exclude`` leaves out of a copy with these answers.

    cookiecutter has no such setting; the post-generation hook removes them.
    """
    entries = config["_exclude"]
    if not isinstance(entries, list):
        msg = f"copier.yml: _exclude must be a list, not {type(entries).__name__}"
        raise TypeError(msg)
    paths_jinja = Environment()  # noqa: S701 -- renders paths, not HTML: unescaped, as copier renders them
    rendered = [paths_jinja.from_string(entry).render(**answers, _copier_operation="copy").strip() for entry in entries]
    paths = [entry for entry in rendered if entry]
    if any(set(entry) & set("*?[!") for entry in paths):
        msg = f"sturdy: copier.yml _exclude holds a pattern the hook cannot apply: {paths}"
        raise SystemExit(msg)
    return paths


def next_steps(config: Mapping[str, object], answers: Mapping[str, object], project: Path, version: str | None) -> str:
    """Return the steps copier prints after a copy, from copier.yml's own message.

    One text for both engines: cookiecutter users read what copier users read.
    """
    text_jinja = Environment(keep_trailing_newline=True)  # noqa: S701 -- plain text for a terminal, not HTML
    message = text_jinja.from_string(str(config["_message_after_copy"]))
    recorded = {"_commit": version} if version else {}
    return message.render(**answers, _copier_conf={"dst_path": project}, _copier_answers=recorded).rstrip("\n")
