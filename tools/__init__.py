"""Helpers shared by the template's tests and its maintenance scripts."""
