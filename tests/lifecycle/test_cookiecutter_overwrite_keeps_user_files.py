"""cookiecutter over an existing project (``-f``, ``-s``) removes only what its own render wrote."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tools.engines import cookiecutter_cli

if TYPE_CHECKING:
    from pathlib import Path

#: Files the user wrote in the example's folders, and one template file they edited.
MINE = ("benchmarks/mine.py", "src/my_project/downloader/mine.py", "tests/downloader/mine.txt")
EDITED = "benchmarks/run.py"


@pytest.mark.parametrize("skip_existing", [True, False], ids=["-f -s", "-f"])
def test_rendering_without_the_example_over_a_project_keeps_the_users_files(
    template: Path, tmp_path: Path, *, skip_existing: bool
) -> None:
    made = cookiecutter_cli(template, tmp_path / "out", {}, tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "out" / "my-project"
    for name in MINE:
        (project / name).write_text("# the user's own\n", encoding="utf-8")
    (project / EDITED).write_text("# edited by the user\n", encoding="utf-8")
    template_file = "src/my_project/downloader/breaker.py"
    assert (project / template_file).is_file()

    flags = ["-f", "-s"] if skip_existing else ["-f"]
    again = cookiecutter_cli(template, tmp_path / "out", {"example": "none"}, tmp_path, flags)

    assert again.returncode == 0, again.stderr
    for name in MINE:
        assert (project / name).read_text(encoding="utf-8") == "# the user's own\n", name
    if skip_existing:  # nothing of the user's was touched, so nothing is removed
        assert (project / EDITED).read_text(encoding="utf-8") == "# edited by the user\n"
        assert (project / template_file).is_file()
    else:  # what the render overwrote with the template's example is removed
        assert not (project / EDITED).exists()
        assert not (project / template_file).exists()
