"""Placeholder."""

from {{ cookiecutter.package_name }}.cli import main


def test_main() -> None:
    """It runs."""
    assert main() is None
