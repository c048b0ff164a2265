"""File names from untrusted input never lead outside the destination folder."""

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.downloader.errors import UnsafeTargetError
from {{ cookiecutter.package_name }}.downloader.filenames import (
    MAX_NAME_BYTES,
    disposition_name,
    name_for,
    safe_target,
    sanitise,
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
    assert sanitise(raw) == expected


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
