"""Let ``python -m {{ cookiecutter.package_name }}`` behave exactly like the ``{{ cookiecutter.project_slug }}`` command."""

from {{ cookiecutter.package_name }}.cli import main

main()
