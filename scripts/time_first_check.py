"""Measure render-to-green: how long a new project takes to pass every check.

    uv run --locked python scripts/time_first_check.py [--runs N] [--against REF]

For each variant (every python_min, each example choice) it renders the
project, commits it, and runs what the generated README and CI run, timing
each step: ``uv sync --locked``, every pre-commit hook offline (the lock
check, ruff, mypy, hygiene, secrets, workflows), pytest with the coverage
gate, and ``uv build``. The uv cache is warmed by a first sync of the same
lock, as a developer's would be, and Python writes its bytecode cache as it
does for users. It prints one JSON line per variant with the median of
``--runs`` runs: wall-clock seconds, and the CPU seconds the step's processes
used. CPU seconds divided by the cores (``cpu floor``) is the fastest the same
work could run here, however well it were spread over the cores. With
``--against REF`` the template at that commit of its history is measured
too, run for run in turn with the working tree's, and each line also gives
REF's medians and the ratio of the totals (working tree / REF). Timings are
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
from tools.template_versions import release_from_history

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


def medians(measured: list[dict[str, float]]) -> dict[str, float]:
    """Return the median of each step over the runs."""
    return {step: round(statistics.median(m[step] for m in measured), 2) for step in measured[0]}


def main() -> None:
    """Time every variant and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per variant; the median is reported")
    parser.add_argument("--against", metavar="REF", help="also measure the template at this commit, in turn")
    parser.add_argument("--python-min", action="append", help="only this python_min (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        templates = {"now": snapshot(Path(tmp, "template"))}
        if args.against:
            templates[args.against] = release_from_history(Path(tmp, "against"), args.against)
        chosen = [v for v in variants() if not args.python_min or v["python_min"] in args.python_min]
        for number, answers in enumerate(chosen):
            work = Path(tmp, f"variant{number}")
            for name, template in templates.items():  # warms uv's cache for each lock
                time_once(template, work / f"warm-{name}", answers)
            measured: dict[str, list[dict[str, float]]] = {name: [] for name in templates}
            for i in range(args.runs):
                for name, template in templates.items():
                    measured[name].append(time_once(template, work / f"{name}-{i}", answers))
            median = medians(measured["now"])
            line: dict[str, object] = {**answers, "seconds": median}
            line["cpu floor"] = round(median["total cpu"] / (os.cpu_count() or 1), 2)
            if args.against:
                before = medians(measured[args.against])
                line[f"seconds at {args.against}"] = before
                line["total ratio"] = round(median["total"] / before["total"], 2)
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
