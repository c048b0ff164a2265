"""Let ``python -m`` with the package's name behave exactly like the command."""

from .core.start import main

main()
