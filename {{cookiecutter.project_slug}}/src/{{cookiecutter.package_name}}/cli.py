"""Command line."""


def main() -> None:
    """Print the version."""
