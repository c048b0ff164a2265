"""The package. Its commands start in ``cli``; ``core`` is the template's machinery."""
