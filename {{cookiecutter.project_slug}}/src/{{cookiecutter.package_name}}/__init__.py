"""A small, sturdy file downloader that shows each practice of the guide."""

from .version import installed_version

# Read from the installed metadata so pyproject.toml stays the single source.
__version__ = installed_version()
