"""The {{ cookiecutter.package_name }} package: see README.md."""

from importlib.metadata import version

__version__ = version("{{ cookiecutter.project_slug }}")
