"""Write .copier-answers.yml so that `copier update` works, drop what copier would exclude, say what to do next."""

import json
import sys
from pathlib import Path

# cookiecutter renders this file before running it (see pre_gen_project.py).
REPO_DIR = Path(r"""{{ sturdy_template_dir() }}""")
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

sys.path.insert(0, str(REPO_DIR / "hooks"))
import answers_file  # noqa: E402 -- importable once hooks/ is on sys.path
import excluded  # noqa: E402 -- idem

VERSION = answers_file.commit(REPO_DIR)
Path(answers_file.FILE_NAME).write_text(
    answers_file.render(ANSWERS, answers_file.source(ANSWERS["_template"], REPO_DIR), VERSION),
    encoding="utf-8",
)
COPIER_CONFIG = answers_file.copier_config(REPO_DIR)
excluded.remove_rendered(answers_file.excluded_from_copy(COPIER_CONFIG, ANSWERS))
# For the person who ran cookiecutter, on stderr as copier prints its own.
print(answers_file.next_steps(COPIER_CONFIG, ANSWERS, Path.cwd(), VERSION), file=sys.stderr)  # noqa: T201
UNRECORDED = answers_file.unrecorded(ANSWERS["_template"], REPO_DIR)
if UNRECORDED:
    print(f"sturdy: {UNRECORDED}", file=sys.stderr)  # noqa: T201 -- idem
