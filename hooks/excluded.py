"""Leave out of a cookiecutter render what copier.yml excludes, and only what this render wrote.

cookiecutter has no exclusions: it renders every skeleton file, then the
post-generation hook removes the ones copier would have left out (the
example's folders, without the example). Over an existing project
(``cookiecutter -f``, with or without ``-s``) those folders may hold the
user's own files, so the pre-generation hook notes every file already there,
with its SHA-256 and modification time, and the post-generation hook removes
only files that are new or that the render wrote over (``-f`` rewrites each
file, ``-s`` skips those that exist), then the folders it leaves empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


def _note(project: Path) -> Path:
    """Return where the pre-generation hook leaves its note for the post-generation hook.

    Both hooks are children of the same cookiecutter process, rendering the
    same folder; a note left by an interrupted run never matches another.
    """
    key = hashlib.sha256(f"{os.getppid()}\0{project.resolve()}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"sturdy-render-{key}.json"


def _files_under(paths: Iterable[str]) -> dict[str, str]:
    """Return each file under ``paths`` (relative to the working folder) with its signature.

    The signature changes when the file is written, even with the same bytes.
    """
    found: dict[str, str] = {}
    for name in paths:
        top = Path(name)
        candidates = [top] if top.is_file() else [p for p in top.rglob("*") if p.is_file()]
        for path in candidates:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[path.as_posix()] = f"{path.stat().st_mtime_ns} {digest}"
    return found


def note_existing(paths: Iterable[str]) -> None:
    """Before the render: note the files already under ``paths``."""
    _note(Path.cwd()).write_text(json.dumps(_files_under(paths)), encoding="utf-8")


def remove_rendered(paths: list[str]) -> None:
    """After the render: remove what it wrote under ``paths``, and folders left empty."""
    note = _note(Path.cwd())
    before: dict[str, str] = json.loads(note.read_text(encoding="utf-8")) if note.is_file() else {}
    note.unlink(missing_ok=True)
    for name, signature in _files_under(paths).items():
        if before.get(name) != signature:  # new, or written over by this render
            Path(name).unlink()
    for name in paths:
        if Path(name).is_dir():
            for folder, _, _ in sorted(os.walk(name), key=lambda entry: -len(entry[0])):
                if not any(Path(folder).iterdir()):
                    Path(folder).rmdir()
