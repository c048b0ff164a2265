"""Read the steps a README or a docs/ page gives, so that tests follow them as written.

A test that re-typed a page's commands would keep passing after the page
changed; these helpers take the commands from the Markdown itself.
"""

from __future__ import annotations

import re
import shlex


def section(markdown: str, heading: str) -> str:
    """Return the text under ``heading`` (``"## Removing …"``), up to the next heading of its level or above.

    A page's title (``"# …"`` on its first line) gives the whole page below it.
    """
    level = heading.split(" ", 1)[0]
    body = f"\n{markdown}".split(f"\n{heading}\n", 1)[1]
    return re.split(rf"^#{{1,{len(level)}}} ", body, maxsplit=1, flags=re.MULTILINE)[0]


def blocks(text: str, language: str) -> list[str]:
    """Return the fenced code blocks of ``language`` in ``text``, in order, unindented (list items indent them)."""
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```$", text, flags=re.MULTILINE | re.DOTALL)
    return ["".join(line.removeprefix(indent) for line in body.splitlines(keepends=True)) for indent, body in found]


def commands(block: str) -> list[list[str]]:
    r"""Each command of a console block as an argument list.

    Lines ending in ``\`` continue on the next; ``&&`` separates commands;
    ``#`` starts a comment.
    """
    result = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        while words:
            end = words.index("&&") if "&&" in words else len(words)
            result.append(words[:end])
            words = words[end + 1 :]
    return result


def code_spans(text: str) -> list[str]:
    """Return the inline code spans (`` `…` ``) of ``text``, in order."""
    return re.findall(r"`([^`\n]+)`", text)
