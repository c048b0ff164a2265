"""A stand-in for the ``gh`` program: GitHub cannot be reached from here.

It records every call (one JSON list of arguments per line in ``$GH_STANDIN_LOG``)
and keeps the repository's issues and labels in ``$GH_STANDIN_STATE`` (JSON), so
that a second run of a workflow sees what the first one did. It answers only
the calls the template-update workflow makes, the way gh answers them; any
other call fails loudly, so the workflow cannot drift from what is tested.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def load(state: Path) -> dict[str, Any]:
    if state.exists():
        data: dict[str, Any] = json.loads(state.read_text(encoding="utf-8"))
        return data
    return {"issues": [], "labels": {}}


def options(args: list[str], *names: str) -> argparse.Namespace:
    """Parse ``args``; an option the stand-in does not know is an error."""
    parser = argparse.ArgumentParser(prog="gh", exit_on_error=False, add_help=False)
    parser.add_argument("number", nargs="?", type=int)
    for name in names:
        parser.add_argument(f"--{name}", action="store_true" if name == "force" else "store")
    return parser.parse_args(args)


def issue(state: dict[str, Any], number: int) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [item for item in state["issues"] if item["number"] == number]
    (found,) = matches
    return found


def main(argv: list[str]) -> int:
    log, state_file = Path(os.environ["GH_STANDIN_LOG"]), Path(os.environ["GH_STANDIN_STATE"])
    with log.open("a", encoding="utf-8") as out:
        out.write(json.dumps(argv) + "\n")
    if not os.environ.get("GH_TOKEN") or not os.environ.get("GH_REPO"):
        print("gh stand-in: GH_TOKEN and GH_REPO must be set", file=sys.stderr)
        return 4
    state = load(state_file)
    command, rest = argv[:2], argv[2:]
    if command == ["issue", "list"]:
        opts = options(rest, "label", "state", "limit", "json")
        wanted = {"all": {"OPEN", "CLOSED"}, "open": {"OPEN"}, "closed": {"CLOSED"}}[opts.state]
        fields = opts.json.split(",")
        found = [
            {field: item[field] for field in fields}
            for item in state["issues"]
            if opts.label in item["labels"] and item["state"] in wanted
        ]
        print(json.dumps(found[: int(opts.limit)]))
    elif command == ["issue", "create"]:
        opts = options(rest, "title", "label", "body-file")
        if opts.label not in state["labels"]:
            print(f"could not add label: '{opts.label}' not found", file=sys.stderr)
            return 1
        number = len(state["issues"]) + 1
        body = Path(opts.body_file).read_text(encoding="utf-8")
        state["issues"].append(
            {
                "number": number,
                "title": opts.title,
                "state": "OPEN",
                "labels": [opts.label],
                "body": body,
                "comments": [],
            }
        )
        print(f"https://github.com/{os.environ['GH_REPO']}/issues/{number}")
    elif command == ["issue", "edit"]:
        opts = options(rest, "title", "body-file")
        edited = issue(state, opts.number)
        edited["title"] = opts.title
        edited["body"] = Path(opts.body_file).read_text(encoding="utf-8")
    elif command == ["issue", "comment"]:
        opts = options(rest, "body")
        issue(state, opts.number)["comments"].append(opts.body)
    elif command == ["label", "create"]:
        name, *flags = rest
        opts = options(flags, "force", "color", "description")
        if name in state["labels"] and not opts.force:
            print(f"label with name {name!r} already exists", file=sys.stderr)
            return 1
        state["labels"][name] = {"color": opts.color, "description": opts.description}
    else:
        print(f"gh stand-in: unsupported call {argv}", file=sys.stderr)
        return 2
    state_file.write_text(json.dumps(state, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
