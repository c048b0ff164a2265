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

Path(answers_file.FILE_NAME).write_text(
    answers_file.render(
        ANSWERS,
        answers_file.source(ANSWERS["_template"], REPO_DIR),
        answers_file.commit(REPO_DIR),
    ),
    encoding="utf-8",
)
COPIER_CONFIG = answers_file.copier_config(REPO_DIR)
excluded.remove_rendered(answers_file.excluded_from_copy(COPIER_CONFIG, ANSWERS))
print(answers_file.next_steps(COPIER_CONFIG, ANSWERS, Path.cwd()), file=sys.stderr)  # noqa: T201 -- for the person who ran cookiecutter
