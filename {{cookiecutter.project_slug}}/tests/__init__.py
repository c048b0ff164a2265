"""The tests: ``core/`` for the template's machinery, the rest for your code."""
