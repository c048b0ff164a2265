"""Logging: the standard library's, set up once per command, on stderr.

Library code only calls ``logging.getLogger(__name__)``; the application
decides where records go, and at which level. No secret reaches a record:
secrets are ``SecretStr`` settings, and the boundary masks what it logs.
"""

import logging

FORMAT = "%(levelname)s %(name)s: %(message)s"


def configure_logging(level: str) -> None:
    """Send records of ``level`` and above to stderr.

    ``basicConfig`` does nothing when logging is already set up (by a program
    embedding this one, or by pytest), so only the level is forced.
    """
    logging.basicConfig(format=FORMAT)
    logging.getLogger().setLevel(level)
