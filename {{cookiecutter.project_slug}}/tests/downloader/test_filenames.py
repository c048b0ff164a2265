"""File names from untrusted input never lead outside the destination folder."""

import ntpath
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.downloader.errors import UnsafeTargetError
from {{ cookiecutter.package_name }}.downloader.filenames import (
    MAX_NAME_BYTES,
    WINDOWS_DEVICES,
    disposition_name,
    name_for,
    safe_target,
    sanitise,
    windows_name,
)

from tests.core.fixtures import text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/etc/shadow", "shadow"),
        ("..", ""),
        (".", ""),
        ("", ""),
        ("dir/", ""),
        (".bashrc", "bashrc"),
        ("-rf", "rf"),
        ("a b;c|d$(e).txt", "a_b_c_d__e_.txt"),
        ("tab\there\nnewline", "tab_here_newline"),
        ("evil\u202etxt.exe", "evil_txt.exe"),  # right-to-left override
        ("re\u0301sume\u0301.pdf", "r\u00e9sum\u00e9.pdf"),  # NFC
        ("\u00e9" * 300, "\u00e9" * (MAX_NAME_BYTES // 2)),  # on a character boundary
    ],
)
def test_sanitise(raw: str, expected: str) -> None:
    assert sanitise(raw, platform="linux") == expected
    assert sanitise(raw, platform="darwin") == expected


@pytest.mark.parametrize(
    ("raw", "posix", "windows"),
    [
        ("CON", "CON", "CON_"),
        ("nul.txt", "nul.txt", "nul_.txt"),
        ("Com1.tar.gz", "Com1.tar.gz", "Com1_.tar.gz"),
        ("lpt9", "lpt9", "lpt9_"),
        ("AUX.", "AUX.", "AUX_"),
        ("report.", "report.", "report"),
        ("CONSOLE.txt", "CONSOLE.txt", "CONSOLE.txt"),
        ("COM10", "COM10", "COM10"),
        ("report.pdf", "report.pdf", "report.pdf"),
        ("..", "", ""),
    ],
)
def test_names_only_windows_reserves_are_renamed_there_alone(
    raw: str, posix: str, windows: str
) -> None:
    assert sanitise(raw, platform="linux") == posix
    assert sanitise(raw, platform="darwin") == posix
    assert sanitise(raw, platform="win32") == windows


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "CON_"),
        ("con .txt", "con _.txt"),
        ("PRN.", "PRN_"),
        ("COM\u00b9.log", "COM\u00b9_.log"),
        ("CONIN$", "CONIN$_"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("dir/sub\\name", "dir_sub_name"),
        ("tab\there\x00", "tab_here_"),
        ("name. . ", "name"),
        ("..", "_"),
        ("", "_"),
        ("C:", "C_"),
    ],
)
def test_windows_name(name: str, expected: str) -> None:
    assert windows_name(name) == expected


#: The standard library's own rule, a second opinion: Python 3.13 has it.
STDLIB_RESERVED = getattr(ntpath, "isreserved", None)
DEVICE_LIKE = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["con", "PRN", "Aux", "nul", "COM1", "lpt9", "COM\u00b3"]),
        st.sampled_from(["", ".", " ", " .", ".txt", ". .", ":x"]),
        text(),
    ),
)


@given(name=st.one_of(text(), DEVICE_LIKE))
@example(name="CON")
def test_any_name_becomes_one_windows_can_hold(name: str) -> None:
    held = windows_name(name)
    assert held
    assert windows_name(held) == held  # stable
    assert not set(held) & set('<>:"/\\|?*')
    assert all(ord(char) >= 32 for char in held)
    assert not held.endswith((".", " "))
    assert held.partition(".")[0].rstrip(" ").upper() not in WINDOWS_DEVICES
    if STDLIB_RESERVED is not None:
        assert not STDLIB_RESERVED(held)


@given(raw=text())
@example(raw="CON." + "x" * 300)
def test_on_windows_a_name_is_the_posix_one_made_holdable(raw: str) -> None:
    posix, windows = sanitise(raw, platform="linux"), sanitise(raw, platform="win32")
    assert bool(windows) == bool(posix)  # nothing usable on one is nothing on both
    assert windows_name(posix).startswith(windows)  # the same name, trimmed at most
    assert windows == sanitise(windows, platform="win32")
    assert len(windows.encode()) <= MAX_NAME_BYTES


@pytest.mark.parametrize(
    ("url", "header", "expected"),
    [
        ("http://h/a/file.zip?x=1", None, "file.zip"),
        ("http://h/a/my%20file.zip", None, "my_file.zip"),
        ("http://h/dl", 'attachment; filename="data.csv"', "data.csv"),
        (
            "http://h/dl",
            "attachment; filename*=UTF-8''na%C3%AFve.txt",
            "na\u00efve.txt",
        ),
        (
            "http://h/dl",
            'attachment; filename="../../.ssh/authorized_keys"',
            "authorized_keys",
        ),
        ("http://h/x.bin", 'attachment; filename=".."', "x.bin"),
        ("http://h/x.bin", "attachment", "x.bin"),
        ("http://h/%2e%2e%2f%2e%2e%2fetc%2fpasswd", None, "passwd"),
        ("http://h/url.bin", "attachment; filename*=UTF-8''%FF%FE", "url.bin"),
    ],
)
def test_name_for(url: str, header: str | None, expected: str) -> None:
    assert name_for(url, header) == expected


@pytest.mark.parametrize("url", ["http://h/", "http://h", "http://h/.."])
def test_name_for_refuses_when_nothing_is_left(url: str) -> None:
    with pytest.raises(UnsafeTargetError, match="no usable file name"):
        name_for(url, None)


@pytest.mark.parametrize("name", ["../a.txt", "/tmp/a.txt", "sub/a.txt", "", ".", ".."])  # noqa: S108
def test_safe_target_refuses_names_that_leave_the_folder(dest: Path, name: str) -> None:
    with pytest.raises(UnsafeTargetError, match="outside"):
        safe_target(dest, name, overwrite=True)


@pytest.mark.parametrize("exists", [True, False], ids=["to-a-file", "dangling"])
def test_safe_target_refuses_a_symlink(
    dest: Path, tmp_path: Path, *, exists: bool
) -> None:
    outside = tmp_path / "outside.txt"
    if exists:
        outside.write_text("keep")
    (dest / "link.txt").symlink_to(outside)
    with pytest.raises(UnsafeTargetError, match="symlink"):
        safe_target(dest, "link.txt", overwrite=exists)
    assert not exists or outside.read_text() == "keep"


@pytest.mark.parametrize("overwrite", [True, False])
def test_safe_target_never_replaces_a_folder(dest: Path, *, overwrite: bool) -> None:
    (dest / "sub").mkdir()
    with pytest.raises(UnsafeTargetError, match="sub: is a directory, never replaced"):
        safe_target(dest, "sub", overwrite=overwrite)


def test_safe_target_needs_an_existing_destination(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        safe_target(tmp_path / "missing", "a.txt", overwrite=False)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "attachment; filename=\"plain.txt\"; filename*=UTF-8''ext%C3%A9.txt",
            "ext\u00e9.txt",
        ),
        ("attachment; filename*=UTF-8''ext.txt; filename=\"plain.txt\"", "ext.txt"),
        ("attachment; FileName*=utf-8'en'a%20b.txt", "a b.txt"),
        ("attachment; filename*=iso-8859-1''caf%E9.txt", "caf\u00e9.txt"),
        (r'attachment; filename="a\"b.txt"', 'a"b.txt'),
        ("attachment; filename=bare.txt", "bare.txt"),
        ('attachment; filename="semi;colon.txt"', "semi;colon.txt"),
    ],
)
def test_disposition_name_follows_rfc_6266(header: str, expected: str) -> None:
    assert disposition_name(header) == expected


@pytest.mark.parametrize(
    "charset", ["idna", "undefined", "punycode", "utf-7", "rot13", "x-none", "UTF-16"]
)
def test_a_charset_rfc_8187_does_not_allow_falls_back(charset: str) -> None:
    header = f"attachment; filename*={charset}''x%C3%A9.txt; filename=\"ok.txt\""
    assert disposition_name(header) == "ok.txt"
    only_extended = f"attachment; filename*={charset}''x"
    assert name_for("http://h/url.bin", only_extended) == "url.bin"


HEADER_PIECES = st.sampled_from(
    [
        "attachment",
        ";",
        "=",
        '"',
        "\\",
        "'",
        "%",
        "%C3",
        "%A9",
        "filename",
        "filename*",
        "UTF-8",
        "utf-8''",
        "idna''",
        "..",
        "/",
        "a",
        " ",
        "\u00e9",
        "\x00",
    ]
)
HEADERS = st.one_of(text(), st.lists(HEADER_PIECES).map("".join))


@given(header=st.one_of(st.none(), HEADERS), path=text())
@example(header="attachment; filename*=idna''%C3%A9", path="x")
@example(header="attachment; filename*=undefined''a", path="x")
def test_any_header_and_url_give_a_plain_name_or_a_project_error(
    header: str | None, path: str
) -> None:
    assert isinstance(disposition_name(header), str)
    try:
        name = name_for(f"http://h/{path}", header)
    except UnsafeTargetError:
        return
    assert name == sanitise(name)
    assert name
    assert "/" not in name
    assert not name.startswith(".")
    assert len(name.encode()) <= MAX_NAME_BYTES


@given(raw=text(), encoding=st.sampled_from(["ascii", "latin-1", "utf-8", "cp1252"]))
@example(raw="na\u00efve \u65e5\u672c.txt", encoding="ascii")
def test_a_name_is_one_the_file_system_can_encode(raw: str, encoding: str) -> None:
    name = sanitise(raw, encoding)
    name.encode(encoding)  # a name os.open would refuse is never picked
    assert name == sanitise(name, encoding)
