"""What the commands do; imported only when a command runs.

Loading the settings here, not in ``cli``, keeps pydantic out of the start-up
of ``--help`` and ``--version``.
"""

import logging
from collections.abc import Mapping
from typing import Any

import click

from .logs import configure_logging
from .settings import Settings, load_settings, secrets_dir

logger = logging.getLogger(__name__)


def show_config(flags: Mapping[str, Any]) -> None:
    """Print each setting, its value (secrets masked) and where it came from."""
    settings, origins = load(flags)
    for name in Settings.model_fields:
        value = getattr(settings, name)  # a SecretStr prints as stars
        shown = "(not set)" if value is None else str(value)
        click.echo(f"{name} = {shown}  ({origins[name]})")
    click.echo(f"secrets dir: {secrets_dir()}")


def load(flags: Mapping[str, Any]) -> tuple[Settings, dict[str, str]]:
    """Load the settings from every source, then set up logging (once, here)."""
    settings, origins = load_settings(flags)
    configure_logging(settings.log_level)
    logger.debug("settings: %r", settings)
    return settings, origins
