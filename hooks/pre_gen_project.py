"""Refuse bad answers once more before cookiecutter writes a file (rules: hooks/rules.py).

cookiecutter.json runs the same rules while the questions are asked, before
any folder exists; a --replay skips that, so the rules run here too. Then note
the files already in the folders the render may leave out (hooks/excluded.py).
"""

import json
import sys
from pathlib import Path

# cookiecutter renders this file before running it; the two strings below are
# filled in then: the template's folder (hooks/rules.py says how it is found)
# and the answers.
REPO_DIR = Path(r"""{{ sturdy_template_dir() }}""")
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

sys.path.insert(0, str(REPO_DIR / "hooks"))
import answers_file  # noqa: E402 -- importable once hooks/ is on sys.path
import excluded  # noqa: E402 -- idem
import rules  # noqa: E402 -- idem

PROBLEMS = [
    *rules.problems(ANSWERS, rules.reserved_names()),
    answers_file.unfollowable(ANSWERS["_template"]),
    answers_file.unlike_copier(ANSWERS["_template"], REPO_DIR, ANSWERS.get("_checkout")),
]
if any(PROBLEMS):
    sys.exit("\n".join(f"sturdy: {problem}" for problem in PROBLEMS if problem))
excluded.note_existing(answers_file.excluded_from_copy(answers_file.copier_config(REPO_DIR), ANSWERS))
