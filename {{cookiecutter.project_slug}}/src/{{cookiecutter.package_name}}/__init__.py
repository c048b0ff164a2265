"""{{ cookiecutter.project_name.replace('\\', '\\\\').replace('"', '\\"') }}."""

from importlib.metadata import version

__version__ = version("{{ cookiecutter.project_slug }}")
