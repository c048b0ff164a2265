"""The error hierarchy: one root, exit codes on the classes, one-line messages."""

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from {{ cookiecutter.package_name }}.errors import (
    BadStatusError,
    ChecksumError,
    CircuitOpenError,
    CommandError,
    ConfigError,
    DownloadError,
    InputError,
    ProjectError,
    SizeLimitError,
    TransferError,
    UnsafeTargetError,
    one_line,
)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError, 2),
        (ConfigError, 2),
        (DownloadError, 1),
        (TransferError, 1),
        (SizeLimitError, 1),
        (ChecksumError, 1),
        (UnsafeTargetError, 1),
        (CircuitOpenError, 1),
        (CommandError, 1),
    ],
)
def test_every_error_is_a_project_error_with_an_exit_code(
    error: type[ProjectError], code: int
) -> None:
    assert issubclass(error, ProjectError)
    assert error.exit_code == code


def test_a_bad_status_keeps_what_the_retry_policy_needs() -> None:
    error = BadStatusError("http://h/a", 503, 2.5)
    assert str(error) == "http://h/a: HTTP 503"
    assert (error.status, error.retry_after) == (503, 2.5)


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
