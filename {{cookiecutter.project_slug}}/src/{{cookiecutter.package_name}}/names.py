"""The names a user types: environment variables. Kept free of heavy imports.

``--help`` shows these names; living apart from ``settings`` (which loads
pydantic) keeps the start-up of ``--help`` and ``--version`` fast.
"""

ENV_PREFIX = "{{ cookiecutter.package_name.upper() }}_"
SECRETS_DIR_VARIABLE = f"{ENV_PREFIX}SECRETS_DIR"


def env_name(field: str) -> str:
    """Name the environment variable of a setting.

    ``timeout`` -> ``{{ cookiecutter.package_name.upper() }}_TIMEOUT``.
    """
    return f"{ENV_PREFIX}{field.upper()}"
