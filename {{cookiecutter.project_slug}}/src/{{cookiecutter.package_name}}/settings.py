"""The settings: one field per setting, with its default and its bounds.

``core.sources`` reads every field from every source (flags, environment,
secrets directory, config file), ``config show`` lists them, and a bad value
stops the program at start-up with one line naming it where it was set. A
``SecretStr`` field is a secret: read only from the environment or the
secrets directory, and masked in every message and log line.
"""

import re

from pydantic import SecretStr, field_validator

from .core.sources import ProjectSettings
{% if cookiecutter.example == 'downloader' %}from .downloader.settings import DownloadFields  # downloader example
{% endif %}
#: A bearer token as RFC 6750 spells it: one line, no spaces, nothing an
#: HTTP header could choke on (and then quote in its error message).
BEARER_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")


class Settings(
{% if cookiecutter.example == 'downloader' %}    DownloadFields,  # downloader example
{% endif %}    ProjectSettings,
):
    """Every setting, its default and its bounds; immutable once loaded."""

    api_token: SecretStr | None = None

    @field_validator("api_token")
    @classmethod
    def _token_is_one_header_word(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            # A CI secret that is not set often arrives as an empty variable.
            msg = "is empty: give a token, or leave it unset"
            raise ValueError(msg)
        if value is not None and not BEARER_TOKEN.fullmatch(value.get_secret_value()):
            msg = (
                "not a bearer token: only letters, digits and -._~+/ (then = signs)"
                " are allowed; check for a stray newline or space"
            )
            raise ValueError(msg)
        return value
