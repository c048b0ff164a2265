"""Let ``python -m`` with the package's name behave exactly like the command."""

from .cli import main

main()
