"""Safe file names and targets: nothing is ever written outside the destination.

Guide, Subprocess & filesystem: validate and sanitise paths, prefer
allowlists. A name from the server (Content-Disposition) or the URL is
untrusted input: it may hold ``..``, separators, an absolute path, control
characters, or nothing usable at all.
"""

import unicodedata
from email.message import Message
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import UnsafeTargetError

MAX_NAME_BYTES = 200  # below every common file system's 255, room for a temp suffix
_ALLOWED_PUNCTUATION = frozenset("._-")


def sanitise(raw: str) -> str:
    """Reduce ``raw`` to a plain file name, or ``""`` if nothing safe is left.

    Keeps the last path component only, letters, digits and ``._-`` (others
    become ``_``), drops leading dots and dashes (no hidden files, no names
    that look like options), and trims to ``MAX_NAME_BYTES`` of UTF-8.
    """
    last = raw.replace("\\", "/").rsplit("/", 1)[-1]
    normal = unicodedata.normalize("NFC", last)
    kept = "".join(
        c if c.isalnum() or c in _ALLOWED_PUNCTUATION else "_" for c in normal
    )
    name = kept.lstrip(".-")
    return name.encode()[:MAX_NAME_BYTES].decode(errors="ignore")


def name_for(url: str, content_disposition: str | None) -> str:
    """Pick the file name: Content-Disposition first, then the URL's last segment."""
    candidates = [_disposition_name(content_disposition), unquote(urlsplit(url).path)]
    for raw in candidates:
        name = sanitise(raw)
        if name:
            return name
    msg = f"{url}: no usable file name in Content-Disposition or URL"
    raise UnsafeTargetError(msg)


def safe_target(dest: Path, name: str, *, overwrite: bool) -> Path:
    """Return ``dest / name`` once it is proven to stay inside ``dest``.

    Refuses a name that leaves the folder, a target that is a symlink (it could
    point anywhere), anything that is not a regular file, and an existing file
    unless ``overwrite``.
    """
    root = dest.resolve(strict=True)
    target = root / name
    if target.is_symlink():
        msg = f"{target}: is a symlink, refusing to write through it"
        raise UnsafeTargetError(msg)
    if target.resolve().parent != root:
        msg = f"{name!r}: would be written outside {root}"
        raise UnsafeTargetError(msg)
    if target.exists() and not (overwrite and target.is_file()):
        msg = f"{target}: already exists (use --overwrite to replace a file)"
        raise UnsafeTargetError(msg)
    return target


def _disposition_name(header: str | None) -> str:
    """Read ``filename``/``filename*`` (RFC 6266, RFC 2231) with the stdlib parser."""
    if header is None:
        return ""
    message = Message()
    message["content-disposition"] = header
    return message.get_filename() or ""
