"""Measure the claims the example makes; see benchmarks/README.md.

(a) a pooled client beats a new connection per request;
(b) a streamed download keeps memory flat, unlike reading the whole body;
(c) the circuit breaker adds no serialisation: its lock is not held during calls;
(d) the download command runs at least half as fast as ``curl -o``, hashing
    and fsync included, in little memory;
(e) ``--help`` and ``--version`` start in a blink.

Run ``uv run python benchmarks/run.py``. The servers and the measured
commands run as child processes, so neither the GIL nor a memory peak of one
mixes with another. The server of (a) and (b) speaks HTTPS with a throwaway
certificate made by the ``openssl`` program, as real services do: a new
connection then costs what it costs in production, a TLS handshake. (d)
uses plain HTTP, so that both programs are measured, not their TLS
libraries. Exits 1 if a target is missed.
"""

import functools
import http.server
import io
import os
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import typing_extensions

from {{ cookiecutter.package_name }}.downloader.breaker import Breakers, CircuitBreaker
from {{ cookiecutter.package_name }}.downloader.client import open_client
from {{ cookiecutter.package_name }}.downloader.download import Downloader
from {{ cookiecutter.package_name }}.downloader.progress import progress
from {{ cookiecutter.package_name }}.downloader.retries import wait

SMALL_GETS = 1_000
BIG_SIZE = 512 * 2**20
CHUNK = b"\0" * 2**20
THREADS, CALLS, CALL_SECONDS = 4, 10, 0.05
CHILD_TIMEOUT = 300.0
MIN_POOL_SPEEDUP, MAX_STREAM_RSS_MIB, MAX_BREAKER_RATIO = 3.0, 64.0, 1.2
MIN_CURL_RATIO, MAX_START_SECONDS = 0.5, 0.10
ROUNDS, START_RUNS = 3, 15
PACKAGE = "{{ cookiecutter.package_name }}"


class _Handler(http.server.BaseHTTPRequestHandler):
    """``/small``: 64 bytes; anything else: ``BIG_SIZE`` bytes, sent in chunks."""

    protocol_version = "HTTP/1.1"  # keep-alive, so a client may reuse connections
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall

    def do_GET(self) -> None:
        size = 64 if self.path == "/small" else BIG_SIZE
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        for start in range(0, size, len(CHUNK)):
            self.wfile.write(CHUNK[: size - start])

    @typing_extensions.override
    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


def run(args: Sequence[str], *, timeout: float) -> str:
    """Run a child to the end (an argument list, no shell); return its stdout."""
    done = subprocess.run(  # noqa: S603 -- the interpreter, uv or curl; no shell
        list(args), capture_output=True, text=True, timeout=timeout, check=True
    )
    return done.stdout.strip()


def serve(cert: str | None, key: str | None) -> None:
    """Child: serve HTTPS (HTTP without a certificate) on a free loopback port."""
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler) as server:
        server.daemon_threads = True
        if cert is not None and key is not None:
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(cert, key)
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        sys.stdout.write(f"{server.server_address[1]}\n")
        sys.stdout.flush()
        server.serve_forever()


def make_certificate(folder: Path) -> tuple[str, str]:
    """Make a throwaway self-signed certificate for 127.0.0.1 (a real subprocess)."""
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    command = ["openssl", "req", "-x509", "-newkey", "ec", "-nodes", "-days", "1"]
    command += ["-pkeyopt", "ec_paramgen_curve:P-256", "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert]
    run(command, timeout=CHILD_TIMEOUT)
    return cert, key


@contextmanager
def server_process(*, tls: bool = True) -> Iterator[str]:
    """Start a server child (HTTPS, or HTTP); yield its base URL; stop it at the end.

    The client trusts the certificate through ``SSL_CERT_FILE``, the standard
    variable, so the project's client is used unchanged (children inherit it).
    """
    with tempfile.TemporaryDirectory() as folder:
        role = ["serve"]
        if tls:
            cert, key = make_certificate(Path(folder))
            os.environ["SSL_CERT_FILE"] = cert
            role += [cert, key]
        else:
            os.environ.pop("SSL_CERT_FILE", None)  # the certificate is gone
        with subprocess.Popen(  # noqa: S603 -- this very script, no shell
            [sys.executable, __file__, *role],
            stdout=subprocess.PIPE,
            text=True,
        ) as child:
            try:
                assert child.stdout is not None  # noqa: S101 -- set by stdout=PIPE
                port = child.stdout.readline().strip()
                yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
            finally:
                child.terminate()


def child_stream(url: str, dest: str) -> None:
    """Child: download through the project's own code."""
    with open_client(timeout=30) as client:
        Downloader(
            client=client,
            breakers=Breakers(CircuitBreaker),
            dest=Path(dest),
            max_bytes=BIG_SIZE,
            attempts=1,
            progress=functools.partial(progress, stream=io.StringIO()),
            sleep=wait,  # never: one attempt
        ).fetch(url)


def child_read(url: str) -> None:
    """Child: read the whole body into memory at once."""
    with open_client(timeout=30) as client:
        size = len(client.get(url).content)
    assert size == BIG_SIZE  # noqa: S101 -- the measurement is void otherwise


def timed(action: Callable[[], object]) -> float:
    """Return the wall time of one call of ``action``."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_pool(base: str) -> bool:
    """Measure (a): one client, with and without keeping connections."""
    url = f"{base}/small"

    def gets(headers: dict[str, str]) -> None:
        with open_client(timeout=10) as client:
            for _ in range(SMALL_GETS):
                client.get(url, headers=headers).raise_for_status()

    reused = timed(lambda: gets({}))
    fresh = timed(lambda: gets({"Connection": "close"}))  # a new connection each
    speedup = fresh / reused
    return report(
        f"(a) {SMALL_GETS} HTTPS GETs on loopback: pooled {reused:.2f} s,"
        f" new connection each {fresh:.2f} s: pooled {speedup:.1f}x faster",
        ok=speedup >= MIN_POOL_SPEEDUP,
    )


def bench_memory(base: str) -> bool:
    """Measure (b): peak memory of a 512 MiB download, streamed vs read at once."""
    url = f"{base}/big.bin"
    with tempfile.TemporaryDirectory() as dest:
        streamed = measured([sys.executable, __file__, "stream", url, dest])[1]
    whole = measured([sys.executable, __file__, "read", url])[1]
    if streamed is None or whole is None:
        sys.stdout.write("(b) peak memory is not measured on Windows: skipped\n")
        return True
    return report(
        f"(b) {BIG_SIZE // 2**20} MiB download, peak RSS: streamed to disk"
        f" {streamed:.0f} MiB, whole body in memory {whole:.0f} MiB",
        ok=streamed <= MAX_STREAM_RSS_MIB,
    )


def bench_breaker() -> bool:
    """Measure (c): four threads of slow calls, with and without one breaker."""

    def slow() -> None:
        time.sleep(CALL_SECONDS)

    def in_threads(call: Callable[[], None]) -> None:
        def work() -> None:
            for _ in range(CALLS):
                call()

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    bare = timed(lambda: in_threads(slow))
    guarded = timed(lambda: in_threads(CircuitBreaker("bench")(slow)))
    ratio = guarded / bare
    return report(
        f"(c) {THREADS} threads x {CALLS} calls of {CALL_SECONDS * 1000:.0f} ms:"
        f" unguarded {bare:.2f} s, through one breaker {guarded:.2f} s ({ratio:.2f}x)",
        ok=ratio <= MAX_BREAKER_RATIO,
    )


def measured(command: Sequence[str]) -> tuple[float, float | None]:
    """Run ``command``; return its wall time and its own peak RSS in MiB.

    ``os.wait4`` gives the usage of this one child, not of every child so
    far. Its ``ru_maxrss`` counts bytes on macOS and KiB on Linux and the
    other Unixes; Windows has no such call, and there the peak is ``None``.
    A child still running after ``CHILD_TIMEOUT`` is killed. Without
    ``PYTHONDONTWRITEBYTECODE``, Python runs from bytecode, as users' do.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    with subprocess.Popen(  # noqa: S603 -- fixed programs, no shell
        command, stdout=subprocess.DEVNULL, env=env
    ) as child:
        killer = threading.Timer(CHILD_TIMEOUT, child.kill)
        killer.start()
        peak = None
        if sys.platform == "win32":
            child.wait()
        else:
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
        killer.cancel()
    elapsed = time.perf_counter() - started
    if child.returncode:
        msg = f"{command[0]} exited with {child.returncode}"
        raise RuntimeError(msg)
    return elapsed, peak


def bench_throughput(base: str) -> bool:
    """Measure (d): the download command against ``curl -o``, same file, same run."""
    url, mib = f"{base}/big.bin", BIG_SIZE / 2**20
    ours = [sys.executable, "-m", PACKAGE, "download", url, "--max-bytes", "1GiB"]
    curl = shutil.which("curl")
    if curl is None:
        sys.stdout.write("(d) curl is not installed: no comparison, ours alone\n")
    results: dict[str, list[tuple[float, float | None]]] = {"ours": [], "curl": []}
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as dest:  # on disk, not tmpfs
        for _ in range(ROUNDS):  # alternate, so both see the same machine load
            results["ours"].append(measured([*ours, "--dest", dest]))
            Path(dest, "big.bin").unlink()
            if curl is not None:
                results["curl"].append(measured([curl, "-sfo", f"{dest}/c.bin", url]))
                Path(dest, "c.bin").unlink()
    seconds = min(elapsed for elapsed, _ in results["ours"])
    line = (
        f"(d) {mib:.0f} MiB over loopback to disk (best of {ROUNDS}):"
        f" ours {mib / seconds:.0f} MiB/s"
    )
    ok = True
    peaks = [peak for _, peak in results["ours"] if peak is not None]
    if peaks:  # none on Windows
        line += f", peak RSS {max(peaks):.0f} MiB"
        ok = max(peaks) <= MAX_STREAM_RSS_MIB
    if results["curl"]:
        curl_seconds = min(elapsed for elapsed, _ in results["curl"])
        ratio = curl_seconds / seconds
        line += f"; curl -o {mib / curl_seconds:.0f} MiB/s: {ratio:.2f}x curl"
        ok = ok and ratio >= MIN_CURL_RATIO
    return report(line, ok=ok)


def installed_wheel(folder: Path) -> tuple[str, str]:
    """Build the wheel, install it in a fresh venv; return its python and command.

    Measured as users get it: a wheel, not the editable install of a checkout
    (whose ``--version`` also asks git for the revision).
    """
    uv = shutil.which("uv")
    assert uv, "the start-up benchmark needs uv to build and install the wheel"  # noqa: S101
    root = Path(__file__).resolve().parent.parent
    build = [uv, "build", "--wheel", "--out-dir", str(folder), str(root)]
    run(build, timeout=CHILD_TIMEOUT)
    venv = folder / "venv"
    run([uv, "venv", "--python", sys.executable, str(venv)], timeout=CHILD_TIMEOUT)
    scripts = str(venv / ("Scripts" if sys.platform == "win32" else "bin"))
    python = shutil.which("python", path=scripts)  # python.exe on Windows
    assert python, f"no python in {scripts}"  # noqa: S101 -- uv venv made one
    wheel = str(next(folder.glob("*.whl")))
    run([uv, "pip", "install", "--python", python, wheel], timeout=CHILD_TIMEOUT)
    command = shutil.which("{{ cookiecutter.project_slug }}", path=scripts)
    assert command, f"the wheel installed no command in {scripts}"  # noqa: S101
    return python, command


def bench_start_up() -> bool:
    """Measure (e): ``--help`` and ``--version`` against a bare interpreter.

    With bytecode writing on, after a first warm run, as users see it, of the
    command installed from a wheel: the best of ``START_RUNS`` runs each (the
    least disturbed by other load), and the median.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        python, script = installed_wheel(Path(folder))
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "--help": [script, "--help"],
            "--version": [script, "--version"],
        }
        best, medians = {}, {}
        for name, command in commands.items():
            times = []
            for _ in range(START_RUNS + 1):  # the first run writes the .pyc files
                started = time.perf_counter()
                subprocess.run(  # noqa: S603 -- fixed commands
                    command,
                    check=True,
                    capture_output=True,
                    env=env,
                    timeout=CHILD_TIMEOUT,
                )
                times.append(time.perf_counter() - started)
            best[name], medians[name] = min(times[1:]), statistics.median(times[1:])
    slowest = max(best["--help"], best["--version"])
    shown = (f"{n} {best[n]:.3f} s ({medians[n]:.3f})" for n in commands)
    return report(
        f"(e) start-up of the installed wheel, best (median) of {START_RUNS}:"
        f" {', '.join(shown)}",
        ok=slowest <= MAX_START_SECONDS,
    )


def report(line: str, *, ok: bool) -> bool:
    """Print one result line with its verdict; return the verdict."""
    sys.stdout.write(f"{line}  [{'ok' if ok else 'MISSED'}]\n")
    sys.stdout.flush()
    return ok


def main() -> int:
    """Run the benchmarks (or, in a child, one role); return the exit status."""
    match sys.argv[1:]:
        case ["serve", cert, key]:
            serve(cert, key)
        case ["serve"]:
            serve(None, None)
        case ["stream", url, dest]:
            child_stream(url, dest)
        case ["read", url]:
            child_read(url)
        case _:
            if shutil.which("openssl") is None:
                sys.stdout.write("(a), (b) need the openssl program: skipped\n")
                results = [bench_breaker()]
            else:
                with server_process() as base:
                    results = [bench_pool(base), bench_memory(base), bench_breaker()]
            with server_process(tls=False) as base:
                results.append(bench_throughput(base))
            results.append(bench_start_up())
            return 0 if all(results) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
