"""Measure render-to-green: how long a new project takes to pass every check.

    uv run --locked python scripts/time_first_check.py [--runs N]

For each variant (every python_min, each example choice) it renders the
project, commits it, and runs what the generated README and CI run, timing
each step: ``uv sync --locked``, every pre-commit hook offline (the lock
check, ruff, mypy, hygiene, secrets, workflows), pytest with the coverage
gate, and ``uv build``. The uv cache is warmed by a first sync of the same
lock, as a developer's would be, and Python writes its bytecode cache as it
does for users. It prints one JSON line per variant with the median of
``--runs`` runs: wall-clock seconds, and the CPU seconds the step's processes
used. CPU seconds divided by the cores (``cpu floor``) is the fastest the same
work could run here, however well it were spread over the cores. Timings are
reported here, never asserted in a test: this machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.commands import project_env, run
from tools.interpreters import find_python
from tools.render import commit_all, git, questions, snapshot, with_copier

STEPS = {
    "sync": ["uv", "sync", "--locked"],
    "pre-commit": ["uv", "run", "--frozen", "pre-commit", "run", "--all-files"],
    "pytest --cov": ["uv", "run", "--frozen", "pytest", "--cov", "-p", "no:cacheprovider"],
    "build": ["uv", "build", "--out-dir", "dist-check"],
}


def variants() -> list[dict[str, str]]:
    """Every python_min with every example choice the template offers."""
    asked = questions()
    examples = asked.get("example", [None])
    assert isinstance(examples, list)
    return [
        {"python_min": python_min} | ({"example": example} if example else {})
        for python_min in asked["python_min"]
        for example in examples
    ]


def cpu_seconds() -> float:
    """CPU seconds used so far by this process (copier renders here) and every command it ran."""
    usages = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def time_once(template: Path, work: Path, answers: dict[str, str]) -> dict[str, float]:
    """Render and run every step once; return each step's seconds, CPU seconds and the totals."""
    started, cpu_started = time.perf_counter(), cpu_seconds()
    project = with_copier(template, work / "project", answers)
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "generated")
    env = project_env(find_python(answers["python_min"]), {"PRE_COMMIT_HOME": str(work / "pre-commit")})
    # As users see it: Python caches bytecode (this machine's default turns that off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    seconds = {"render": time.perf_counter() - started}
    for name, args in STEPS.items():
        step_env = {**env, "UV_OFFLINE": "1"} if name == "pre-commit" else env
        begun, cpu_begun = time.perf_counter(), cpu_seconds()
        run(args, cwd=project, env=step_env)
        seconds[name] = time.perf_counter() - begun
        seconds[f"{name} cpu"] = cpu_seconds() - cpu_begun
    seconds["total"] = time.perf_counter() - started
    seconds["total cpu"] = cpu_seconds() - cpu_started
    return seconds


def main() -> None:
    """Time every variant and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per variant; the median is reported")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        template = snapshot(Path(tmp, "template"))
        for number, answers in enumerate(variants()):
            work = Path(tmp, f"variant{number}")
            time_once(template, work / "warm", answers)  # warms uv's cache for this lock
            measured = [time_once(template, work / f"run{i}", answers) for i in range(runs)]
            median = {step: round(statistics.median(m[step] for m in measured), 2) for step in measured[0]}
            floor = round(median["total cpu"] / (os.cpu_count() or 1), 2)
            print(json.dumps({**answers, "seconds": median, "cpu floor": floor}), flush=True)


if __name__ == "__main__":
    main()
