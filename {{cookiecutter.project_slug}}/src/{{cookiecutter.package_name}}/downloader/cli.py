"""The download command: its arguments, options and help; ``cli`` registers it.

Like every command it loads what it needs only when it runs
(``app``, with httpx2 and tenacity), so ``--help`` stays fast.
"""

import click

from {{ cookiecutter.package_name }}.core.boundary import boundary
from {{ cookiecutter.package_name }}.core.flags import typed_here


@click.command(
    epilog="To trust a private certificate authority, set SSL_CERT_FILE to its"
    " PEM file. A transfer slower than 1 KiB/s for 30 s is abandoned."
)
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--dest", metavar="DIR", help="Folder to save into (must exist).")
@click.option("--max-bytes", metavar="N", help="Largest file accepted (e.g. 50MiB).")
@click.option(
    "--sha256", metavar="HEX", help="Expected SHA-256 of the file (one URL only)."
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    help="Deadline of each phase: connecting and the response's head, each read.",
)
@click.option("--attempts", metavar="N", help="Tries per URL, the first included.")
@click.option("--overwrite", is_flag=True, help="Replace an existing file.")
@click.pass_context
def download(
    ctx: click.Context,
    /,
    *,
    urls: tuple[str, ...],
    sha256: str | None,
    overwrite: bool,
    **options: str | None,
) -> None:
    """Download files over HTTP(S): streamed, verified, retried, never half-written.

    Each URL is saved into the destination folder, and its path printed.
    """
    with boundary() as redact:
        from . import app  # noqa: PLC0415 -- loaded when the command runs, not for --help

        flags = {**ctx.obj, **typed_here(ctx, options)}
        exit_code = app.download(urls, sha256, flags, redact, overwrite=overwrite)
    ctx.exit(exit_code)
