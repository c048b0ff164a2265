"""The error hierarchy: one root, exit codes on the classes, one-line messages."""

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from {{ cookiecutter.package_name }}.core.errors import (
    ConfigError,
    InputError,
    ProjectError,
    one_line,
)


@pytest.mark.parametrize(
    ("error", "code"), [(ProjectError, 1), (InputError, 2), (ConfigError, 2)]
)
def test_every_error_is_a_project_error_with_an_exit_code(
    error: type[ProjectError], code: int
) -> None:
    assert issubclass(error, ProjectError)
    assert error.exit_code == code


class Sample(BaseModel):
    """A model with a plain and a secret field."""

    count: int
    secret: SecretStr


def test_one_line_names_each_field_and_never_shows_the_input() -> None:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"count": "many", "secret": 12345})
    line = one_line(caught.value, lambda loc: f"--{loc[0]}")
    assert line.startswith("invalid --count: Input should be a valid integer")
    assert "; invalid --secret:" in line
    assert "many" not in line
    assert "12345" not in line
