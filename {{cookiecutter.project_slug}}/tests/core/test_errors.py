"""The error hierarchy: one root, exit codes on the classes, one-line messages."""

from typing import Self

import pytest
from pydantic import (
    BaseModel,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

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


class Checked(BaseModel):
    """A model whose own checks say what is wrong: one field's, and the whole's."""

    name: str
    alias: str = ""

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            msg = "is blank: give a name"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _alias_differs(self) -> Self:
        if self.alias == self.name:
            msg = "the alias repeats the name"
            raise ValueError(msg)
        return self


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ({"name": " "}, "invalid --name: is blank: give a name"),
        ({"name": "a", "alias": "a"}, "the alias repeats the name"),
    ],
)
def test_a_check_s_own_words_are_shown_without_pydantic_s_prefix(
    data: dict[str, str], line: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Checked.model_validate(data)
    assert one_line(caught.value, lambda loc: f"--{loc[0]}") == line
