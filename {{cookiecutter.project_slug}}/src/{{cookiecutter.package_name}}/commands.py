"""Running external programs: an argument list, never a shell, always a timeout.

Guide, Subprocess & filesystem: no ``shell=True``, so no quoting bugs and no
injection; a timeout, so a hung program cannot hang us; and one clear project
error for a missing program, a failure or a timeout.
"""

import subprocess
from collections.abc import Sequence
from pathlib import Path

from .errors import CommandError


def run(args: Sequence[str], *, timeout: float, cwd: Path | None = None) -> str:
    """Run ``args`` and return its standard output, stripped."""
    try:
        completed = subprocess.run(  # noqa: S603 -- an argument list, no shell; callers pass fixed programs
            list(args),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            check=True,
        )
    except OSError as exc:  # no such program, or no folder to run it in
        missing = isinstance(exc, FileNotFoundError) and exc.filename == args[0]
        msg = f"{args[0]}: program not found" if missing else f"{args[0]}: {exc}"
        raise CommandError(msg) from exc
    except ValueError as exc:  # a NUL character in an argument or the folder
        msg = f"{args[0]}: cannot run it: {exc}"
        raise CommandError(msg) from exc
    except subprocess.TimeoutExpired as exc:
        msg = f"{args[0]}: no answer after {timeout} s"
        raise CommandError(msg) from exc
    except subprocess.CalledProcessError as exc:
        msg = f"{args[0]}: exit status {exc.returncode}: {exc.stderr.strip()}"
        raise CommandError(msg) from exc
    return completed.stdout.strip()
