"""A small, sturdy file downloader that shows each practice of the guide."""

from importlib.metadata import version

# Read from the installed metadata so pyproject.toml stays the single source.
__version__ = version("{{ cookiecutter.project_slug }}")
