"""The downloader's errors: project errors exiting 1, a status for the retry policy."""

import pytest

from {{ cookiecutter.package_name }}.core.errors import ProjectError
from {{ cookiecutter.package_name }}.downloader.errors import (
    BadStatusError,
    ChecksumError,
    CircuitOpenError,
    DownloadError,
    SizeLimitError,
    TransferError,
    UnsafeTargetError,
    UnsafeUrlError,
)


@pytest.mark.parametrize(
    "error",
    [
        DownloadError,
        TransferError,
        BadStatusError,
        SizeLimitError,
        ChecksumError,
        UnsafeTargetError,
        UnsafeUrlError,
        CircuitOpenError,
    ],
)
def test_every_download_error_is_a_project_error_that_exits_1(
    error: type[ProjectError],
) -> None:
    assert issubclass(error, ProjectError)
    assert error.exit_code == 1
