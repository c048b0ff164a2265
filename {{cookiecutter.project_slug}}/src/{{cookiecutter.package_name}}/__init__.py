"""The package: its version, read from the installed metadata."""

from .version import installed_version

# Read from the installed metadata so pyproject.toml stays the single source.
__version__ = installed_version()
