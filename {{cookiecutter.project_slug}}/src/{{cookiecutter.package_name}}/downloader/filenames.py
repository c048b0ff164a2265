"""Safe file names and targets: nothing is ever written outside the destination.

Guide, Subprocess & filesystem: validate and sanitise paths, prefer
allowlists. A name from the server (Content-Disposition) or the URL is
untrusted input: it may hold ``..``, separators, an absolute path, control
characters, or nothing usable at all.
"""

import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import UnsafeTargetError

MAX_NAME_BYTES = 200  # below every common file system's 255, room for a temp suffix
_ALLOWED_PUNCTUATION = frozenset("._-")
_NAME = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"  # RFC 9110 token
_PARAMETER = re.compile(rf';\s*({_NAME})\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)', re.DOTALL)
_EXTENDED = re.compile(r"([A-Za-z0-9!#$%&+^_`{}~-]+)'[^']*'(.*)", re.DOTALL)  # RFC 8187
_CHARSETS = frozenset({"utf-8", "iso-8859-1"})  # the two RFC 8187 requires
#: The device names Windows reserves in every folder, whatever the case and
#: the extension (``nul.txt``, ``COM1.tar.gz``).
WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"}
)
#: What a Windows file name cannot hold: these characters and control characters.
_WINDOWS_REFUSES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def sanitise(
    raw: str, encoding: str = sys.getfilesystemencoding(), platform: str = sys.platform
) -> str:
    """Reduce ``raw`` to a plain file name, or ``""`` if nothing safe is left.

    Keeps the last path component only, letters, digits and ``._-`` that the
    file system's ``encoding`` can write (others become ``_``: under the C
    locale without UTF-8 that is ASCII), drops leading dots and dashes (no
    hidden files, no names that look like options), and trims to
    ``MAX_NAME_BYTES`` of UTF-8. On Windows (``platform`` ``win32``), the
    name then becomes one Windows can hold (``windows_name``); elsewhere
    ``CON`` or ``nul.txt`` is an ordinary name and stays as it is.
    """
    last = raw.replace("\\", "/").rsplit("/", 1)[-1]
    normal = unicodedata.normalize("NFC", last)
    kept = "".join(c if _kept(c, encoding) else "_" for c in normal)
    name = _trim(kept.lstrip(".-"))
    if name and platform == "win32":
        # A device's stem gets one more character: trim again, and let the
        # second pass drop a dot that cut may have left at the end.
        return windows_name(_trim(windows_name(name)))
    return name


def _trim(name: str) -> str:
    """Cut ``name`` to ``MAX_NAME_BYTES`` of UTF-8, on a character boundary."""
    return name.encode()[:MAX_NAME_BYTES].decode(errors="ignore")


def windows_name(name: str) -> str:
    """Return ``name`` as a file name Windows can hold: never empty, never a path.

    Each character Windows refuses (``<>:"|?*``, both slashes, control
    characters) becomes ``_``; trailing dots and spaces, which Windows would drop, go;
    a device name gets ``_`` after its stem (``CON`` is ``CON_``,
    ``nul.txt`` is ``nul_.txt``). A name it returns, it returns unchanged.
    """
    name = _WINDOWS_REFUSES.sub("_", name).rstrip(". ")
    stem, dot, rest = name.partition(".")
    if stem.rstrip(" ").upper() in WINDOWS_DEVICES:
        name = f"{stem}_{dot}{rest}"
    return name or "_"


def _kept(char: str, encoding: str) -> bool:
    """Say whether ``char`` stays: a letter, digit or ``._-`` ``encoding`` can write."""
    if not (char.isalnum() or char in _ALLOWED_PUNCTUATION):
        return False
    if char.isascii():  # every file system encoding writes ASCII
        return True
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def name_for(url: str, content_disposition: str | None) -> str:
    """Pick the file name: Content-Disposition first, then the URL's last segment."""
    candidates = [disposition_name(content_disposition), unquote(urlsplit(url).path)]
    for raw in candidates:
        name = sanitise(raw)
        if name:
            return name
    msg = f"{url}: no usable file name in Content-Disposition or URL"
    raise UnsafeTargetError(msg)


def safe_target(dest: Path, name: str, *, overwrite: bool) -> Path:
    """Return ``dest / name`` once it is proven to stay inside ``dest``.

    Refuses a name that leaves the folder, a target that is a symlink (it could
    point anywhere), anything that is not a regular file (a directory, a
    device, a pipe), and an existing file unless ``overwrite``.
    """
    root = dest.resolve(strict=True)
    target = root / name
    if target.is_symlink():
        msg = f"{target}: is a symlink, refusing to write through it"
        raise UnsafeTargetError(msg)
    if target.resolve().parent != root:
        msg = f"{name!r}: would be written outside {root}"
        raise UnsafeTargetError(msg)
    if target.exists() and not target.is_file():
        kind = "a directory" if target.is_dir() else "not a regular file"
        msg = f"{target}: is {kind}, never replaced"
        raise UnsafeTargetError(msg)
    if target.exists() and not overwrite:
        msg = f"{target}: already exists (use --overwrite to replace it)"
        raise UnsafeTargetError(msg)
    return target


def disposition_name(header: str | None) -> str:
    """Read the file name of a Content-Disposition header, or ``""``.

    ``filename*`` wins over ``filename`` (RFC 6266 section 4.3). Hand-written
    rather than the ``email`` parser, which raises on charsets such as
    ``idna`` and prefers the plain ``filename``. Any part that does not parse
    is ignored, never raised: the URL's name is the fallback.
    """
    parameters: dict[str, str] = {}
    for name, value in _PARAMETER.findall(header or ""):
        parameters.setdefault(name.lower(), _unquote_string(value.strip()))
    return _extended(parameters.get("filename*", "")) or parameters.get("filename", "")


def _unquote_string(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':  # noqa: PLR2004 -- two quotes
        return re.sub(r"\\(.)", r"\1", value[1:-1], flags=re.DOTALL)
    return value


def _extended(value: str) -> str:
    """Decode ``charset'language'percent-encoded``; ``""`` if it does not decode."""
    parts = _EXTENDED.fullmatch(value)
    if parts is None or parts[1].lower() not in _CHARSETS:
        return ""
    try:
        return unquote(parts[2], encoding=parts[1].lower(), errors="strict")
    except UnicodeDecodeError:
        return ""
