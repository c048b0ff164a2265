"""The options typed on the command line: the first of the settings' sources.

click hands a command every option, typed or not. Passing one the user did
not type (``None``) on to the settings would hide the environment, the
secrets directory and the config file behind it.
"""

from collections.abc import Mapping

import click
from click.core import ParameterSource


def typed_here(ctx: click.Context, options: Mapping[str, object]) -> dict[str, object]:
    """Keep only options typed on this command line, so env and file keep their rank."""
    return {
        name: value
        for name, value in options.items()
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    }
