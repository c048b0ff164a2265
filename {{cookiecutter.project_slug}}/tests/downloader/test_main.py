"""The download command as a real process: real downloads, real signals.

Each child is started with default signal dispositions whatever this test
process inherited: a shell's background job (``cmd &``) or ``trap "" INT``
starts pytest with SIGINT ignored, and an ignored signal stays ignored
across ``exec``. ``subprocess``' own ``restore_signals`` resets only SIGPIPE
and SIGXFSZ, and ``preexec_fn`` is unsafe with the servers' threads running,
so a tiny launcher resets them, then execs the command.
"""

import errno
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from pytest_httpserver import HTTPServer

from tests.core.fixtures import (
    PACKAGE,
    TIMEOUT,
    child_environment,
    linux_only,
    posix_only,
    windows_only,
)
from tests.downloader.conftest import (
    answering_proxy,
    pseudo_terminal,
    raw_server,
)

#: The signals a child must get with their default disposition.
RESET = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
#: Resets them, then execs its arguments; a first argument ``2>&-`` closes stderr.
LAUNCHER = (
    "import os, signal, sys\n"
    f"for name in {RESET!r}:\n"
    "    signal.signal(getattr(signal, name), signal.SIG_DFL)\n"
    "args = sys.argv[1:]\n"
    "if args[0] == '2>&-':\n"
    "    os.close(2)\n"
    "    args = args[1:]\n"
    "os.execv(args[0], args)\n"
)
SLOW_HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"
Stream = int | IO[Any] | None


def start(
    args: list[str],
    tmp_path: Path,
    *,
    stdout: Stream = subprocess.PIPE,
    stderr: Stream = subprocess.PIPE,
    close_stderr: bool = False,
    env: dict[str, str] | None = None,
    creationflags: int = 0,
) -> "subprocess.Popen[str]":
    """Start ``python -m PACKAGE args`` with default signal dispositions.

    Windows has neither inherited dispositions to reset nor ``exec``: there
    the command starts as it is (``close_stderr`` is POSIX only).
    """
    command = [sys.executable, "-m", PACKAGE, "--log-level", "info", *args]
    if sys.platform != "win32":
        closing = ["2>&-"] if close_stderr else []
        command = [sys.executable, "-c", LAUNCHER, *closing, *command]
    return subprocess.Popen(  # noqa: S603 -- fixed interpreter, test arguments, no shell
        command,
        stdout=stdout,
        stderr=stderr,
        text=True,
        env={**child_environment(tmp_path), **(env or {})},
        creationflags=creationflags,
    )


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "the child never got there"
        time.sleep(0.02)


def streaming(folder: Path) -> Callable[[], bool]:
    """Return a condition: a download is streaming into a temp file in ``folder``."""
    return lambda: part_files(folder) != []


def part_files(folder: Path, target: str = "") -> list[str]:
    """List the temp files in ``folder`` (of ``target`` only, if given)."""
    return [
        path.name
        for path in folder.iterdir()
        if path.name.startswith(f".{target}") and path.name.endswith(".part")
    ]


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """Start children as a background job would: with SIGINT ignored."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@posix_only(reason="SIGINT sent to one process")
def test_a_real_process_downloads_logs_and_stops_cleanly_on_ctrl_c(
    server: HTTPServer, dest: Path, tmp_path: Path
) -> None:
    server.expect_request("/a.txt").respond_with_data(b"real\n")
    args = ["download", server.url_for("/a.txt"), "--dest", str(dest)]
    # Started with SIGINT ignored, the harder case: the launcher must reset it.
    with (
        raw_server(SLOW_HEAD + b"x" * 1000, hold=True) as slow,  # never finishes
        sigint_ignored(),
        start([*args, slow.url], tmp_path) as child,
    ):
        # The second is streaming into its temp file (the first is then saved).
        wait_until(lambda: part_files(dest) == part_files(dest, "file.bin") != [])
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 130
    assert stdout == f"{dest.resolve() / 'a.txt'}\n"
    # Logging is set up, on stderr.
    assert f"INFO {PACKAGE}.downloader.download: saved" in stderr
    assert stderr.endswith("Stopped by SIGINT.\n")
    assert "Traceback" not in stderr
    assert [path.name for path in dest.iterdir()] == ["a.txt"]
    assert (dest / "a.txt").read_bytes() == b"real\n"


@posix_only(reason="SIGTERM, SIGHUP and SIGQUIT; Windows has Ctrl-Break, below")
def test_every_other_stop_signal_cleans_up_and_exits_128_plus_n(
    server: HTTPServer, tmp_path: Path
) -> None:
    # One child per signal, all at once: the suite pays one start-up, not three.
    # SIGTERM comes during a Retry-After wait of 30 s, the others mid-body.
    server.expect_request("/busy").respond_with_data(
        "busy", status=503, headers={"Retry-After": "30"}
    )
    with raw_server(SLOW_HEAD + b"x" * 1000, hold=True) as slow:
        children = {}
        for name in ("SIGTERM", "SIGHUP", "SIGQUIT"):
            folder = tmp_path / name
            folder.mkdir()
            url = server.url_for("/busy") if name == "SIGTERM" else slow.url
            children[name] = start(["download", url, "--dest", str(folder)], tmp_path)
        for name, child in children.items():
            with child:
                if name == "SIGTERM":
                    assert child.stderr is not None
                    for line in child.stderr:  # until the wait begins
                        if "next in 30.0 s" in line:
                            break
                else:
                    wait_until(streaming(tmp_path / name))
                started = time.monotonic()
                child.send_signal(getattr(signal, name))
                _, stderr = child.communicate(timeout=TIMEOUT)
            assert time.monotonic() - started < TIMEOUT / 2, name  # not after the wait
            assert child.returncode == 128 + getattr(signal, name), name
            assert stderr.endswith(f"Stopped by {name}.\n"), name
            assert "Traceback" not in stderr
            assert list((tmp_path / name).iterdir()) == []


@windows_only(reason="Ctrl-Break, sent to the child's own process group")
def test_a_real_process_stops_cleanly_on_ctrl_break(
    server: HTTPServer, dest: Path, tmp_path: Path
) -> None:
    # A byte every 50 ms: Windows does not interrupt a blocked read for a
    # signal, so the child must come back from its reads to see it.
    def trickle(conn: socket.socket) -> None:
        conn.sendall(SLOW_HEAD)
        with suppress(OSError):  # until the child has gone
            while True:
                conn.sendall(b"x")
                time.sleep(0.05)

    server.expect_request("/a.txt").respond_with_data(b"real\n")
    if sys.platform == "win32":  # the constants exist there alone
        with (
            raw_server(trickle) as slow,
            start(
                ["download", server.url_for("/a.txt"), slow.url, "--dest", str(dest)],
                tmp_path,
                creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
            ) as child,
        ):
            wait_until(lambda: part_files(dest) == part_files(dest, "file.bin") != [])
            child.send_signal(signal.CTRL_BREAK_EVENT)
            stdout, stderr = child.communicate(timeout=TIMEOUT)
        assert child.returncode == 128 + signal.SIGBREAK  # 149
        assert stdout == f"{dest.resolve() / 'a.txt'}\n"
        assert stderr.endswith("Stopped by SIGBREAK.\n")
        assert "Traceback" not in stderr
    assert [path.name for path in dest.iterdir()] == ["a.txt"]


@linux_only(reason="/dev/full, and the C locale's ASCII file names (macOS's are UTF-8)")
def test_output_streams_never_decide_a_download(
    server: HTTPServer, tmp_path: Path
) -> None:
    # Three children at once, each with its output broken another way:
    # stderr closed (2>&-), under the C locale without UTF-8 (ASCII file
    # names) given a name in UTF-8; stdout on a full disk and stderr's reader
    # gone, stopped by SIGTERM mid-batch; stderr a terminal that goes away
    # mid-download, while its progress bar is drawn.
    server.expect_request("/gone.txt").respond_with_data("no", status=404)
    server.expect_request("/a.txt").respond_with_data(b"real\n")
    server.expect_request("/dl").respond_with_data(
        b"plain\n",
        headers={"Content-Disposition": "inline; filename*=UTF-8''na%C3%AFve.txt"},
    )
    release = threading.Event()

    def in_two_halves(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + b"x" * 1000)
        release.wait(TIMEOUT)
        conn.sendall(b"x" * 1000)

    folders = {name: tmp_path / name for name in ("closed", "full", "terminal")}
    for folder in folders.values():
        folder.mkdir()
    gone, good = server.url_for("/gone.txt"), server.url_for("/a.txt")
    master, slave = pseudo_terminal()
    with (
        raw_server(SLOW_HEAD + b"x" * 1000, hold=True) as slow,
        raw_server(in_two_halves) as halves,
        open(os.devnull, "w") as devnull,  # noqa: PTH123 -- a stream for Popen
        open("/dev/full", "w") as full,  # noqa: PTH123 -- idem
    ):
        closed = start(
            ["download", good, server.url_for("/dl"), "--dest", str(folders["closed"])],
            tmp_path,
            stderr=devnull,  # replaced: the launcher closes it
            close_stderr=True,
            env={"LC_ALL": "C", "PYTHONUTF8": "0"},
        )
        batch = ["download", gone, good, slow.url, "--dest", str(folders["full"])]
        broken = start(batch, tmp_path, stdout=full)
        assert broken.stderr is not None
        broken.stderr.close()  # its reader has gone
        args = ["download", halves.url, "--dest", str(folders["terminal"])]
        terminal = start(args, tmp_path, stderr=slave)
        os.close(slave)
        with closed, broken, terminal:
            assert os.read(master, 4096)  # the bar is drawn...
            os.close(master)  # ...and its terminal goes away
            release.set()
            wait_until(lambda: part_files(folders["full"], "file.bin") != [])
            broken.send_signal(signal.SIGTERM)
            assert terminal.communicate(timeout=TIMEOUT)[0] == (
                f"{folders['terminal'].resolve() / 'file.bin'}\n"
            )
            assert closed.communicate(timeout=TIMEOUT)[0] == "".join(
                f"{folders['closed'].resolve() / name}\n"
                for name in ("a.txt", "na_ve.txt")  # what ASCII can name
            )
            broken.wait(TIMEOUT)
    assert terminal.returncode == 0
    assert (folders["terminal"] / "file.bin").read_bytes() == b"x" * 2000
    assert closed.returncode == 0
    assert broken.returncode == 143  # a signal still means 128+N
    assert [path.name for path in folders["full"].iterdir()] == ["a.txt"]


def test_a_key_log_file_that_cannot_be_written_is_named_in_one_line(
    certificate: tuple[Path, ssl.SSLContext], tmp_path: Path
) -> None:
    # A child process: its TLS context is built from its own environment.
    # SSLKEYLOGFILE is read where SSL_CERT_FILE is set, so both are.
    keylog = tmp_path / "missing" / "keys.log"  # in a folder that does not exist
    env = {"SSL_CERT_FILE": str(certificate[0]), "SSLKEYLOGFILE": str(keylog)}
    with start(["download", "http://127.0.0.1:9/a.txt"], tmp_path, env=env) as child:
        stdout, stderr = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 2
    assert stdout == ""
    assert stderr == (
        f"Error: SSLKEYLOGFILE: cannot write TLS keys to {keylog}:"
        f" {os.strerror(errno.ENOENT)}\n"
    )


def test_a_url_typed_in_utf8_means_the_same_under_the_c_locale(
    dest: Path, tmp_path: Path
) -> None:
    # Under LC_ALL=C without UTF-8 mode, Python reads the non-ASCII bytes of
    # the command line as lone surrogates. A proxy shows what was asked for,
    # with no DNS: the host in IDNA, the path percent-encoded.
    heads: list[bytes] = []
    # The bytes typed, whatever this process' own locale.
    typed = os.fsdecode("http://bücher.example/naïve.txt".encode())
    with raw_server(answering_proxy(heads), read_request=False) as server:
        env = {
            "LC_ALL": "C",
            "PYTHONUTF8": "0",
            "HTTP_PROXY": server.url.removesuffix("/file.bin"),
        }
        args = ["download", typed, "--dest", str(dest)]
        with start(args, tmp_path, env=env) as child:
            _, stderr = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 0, stderr
    assert heads[0].startswith(
        b"GET http://xn--bcher-kva.example/na%C3%AFve.txt HTTP/1.1\r\n"
    )
    (saved,) = dest.iterdir()  # named as the file system's encoding can
    assert saved.read_bytes() == b"body\n"
