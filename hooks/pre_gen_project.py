"""Refuse bad answers once more before cookiecutter writes a file (rules: hooks/rules.py).

cookiecutter.json runs the same rules while the questions are asked, before
any folder exists; a --replay skips that, so the rules run here too. Then note
the files already in the folders the render may leave out (hooks/excluded.py).
"""

import json
import os
import sys
from pathlib import Path

# cookiecutter renders this file before running it; the two strings below are
# filled in then. A relative template path is relative to the user's shell.
REPO_DIR = Path(os.environ.get("PWD", "."), r"""{{ cookiecutter._repo_dir }}""")
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

if not (REPO_DIR / "hooks" / "rules.py").is_file():
    sys.exit(f"sturdy: cannot find the template at {REPO_DIR}; pass its absolute path")
sys.path.insert(0, str(REPO_DIR / "hooks"))
import answers_file  # noqa: E402 -- importable once hooks/ is on sys.path
import excluded  # noqa: E402 -- idem
import rules  # noqa: E402 -- idem

PROBLEM = rules.problem(ANSWERS, rules.reserved_names())
if PROBLEM:
    sys.exit(f"sturdy: {PROBLEM}")
excluded.note_existing(answers_file.excluded_from_copy(answers_file.copier_config(REPO_DIR), ANSWERS))
