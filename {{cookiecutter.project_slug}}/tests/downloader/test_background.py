"""The work beside a transfer: the digest in one thread, flushes to disk in another."""

import errno
import hashlib
import os
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.core.boundary import STOP_SIGNALS
from {{ cookiecutter.package_name }}.downloader.background import (
    HASH_BATCH,
    SYNC_EVERY,
    Flusher,
    Sha256,
)

from tests.core.fixtures import TIMEOUT, linux_only


@given(
    st.lists(
        st.tuples(st.integers(0, HASH_BATCH // 3), st.integers(0, 255)), max_size=12
    )
)
def test_the_digest_is_the_sha256_of_every_chunk_in_order(
    chunks: list[tuple[int, int]],
) -> None:
    data = [bytes([value]) * size for size, value in chunks]
    with Sha256() as digest:
        for chunk in data:
            digest.update(chunk)
        assert digest.hexdigest() == hashlib.sha256(b"".join(data)).hexdigest()


def test_memory_stays_small_however_small_the_chunks() -> None:
    # 65,536 chunks of two bytes (one-byte ones are shared objects): a batch
    # counted in bytes alone would hold them all, about 2.5 MiB for 128 KiB.
    tracemalloc.start()
    try:
        with Sha256() as digest:
            for number in range(2**16):
                digest.update(number.to_bytes(2, "big"))
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2**20  # 1 MiB


def test_the_hashing_thread_ends_with_the_block_whatever_ends_it() -> None:
    def stopped() -> None:
        with Sha256() as digest:
            digest.update(b"x" * HASH_BATCH)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        stopped()
    assert "sha256" not in {thread.name for thread in threading.enumerate()}


@contextmanager
def pipe() -> Iterator[BinaryIO]:
    """Yield the writing end of a pipe, which ``fsync`` refuses (EINVAL)."""
    read, write = os.pipe()
    with os.fdopen(read, "rb"), os.fdopen(write, "wb") as out:
        yield out


def flush(out: BinaryIO, *counts: int, then: BaseException | None = None) -> None:
    """Write ``counts`` bytes through a ``Flusher`` (nothing is written), then raise."""
    with Flusher(out) as flusher:
        for count in counts:
            flusher.wrote(count)
        if then is not None:
            raise then


@pytest.mark.parametrize("more", [True, False], ids=["at-the-next", "on-exit"])
def test_a_flush_that_fails_raises_its_error(*, more: bool) -> None:
    counts = (SYNC_EVERY, SYNC_EVERY) if more else (SYNC_EVERY,)  # a flush fails
    with pipe() as out, pytest.raises(OSError, match="Invalid argument") as caught:
        flush(out, *counts)
    assert caught.value.errno == errno.EINVAL


def test_a_failed_flush_never_hides_the_error_that_ended_the_transfer() -> None:
    with pipe() as out, pytest.raises(KeyboardInterrupt):
        flush(out, SYNC_EVERY, then=KeyboardInterrupt())
    assert not any(thread.name.startswith("fsync") for thread in threading.enumerate())


def test_below_the_threshold_nothing_is_flushed() -> None:
    with pipe() as out:  # a flush would fail here
        flush(out, SYNC_EVERY - 1)


def blocked_signals(thread: threading.Thread) -> set[int]:
    """Read the signals ``thread`` blocks, from Linux's ``/proc``."""
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    mask = next(line for line in status.splitlines() if line.startswith("SigBlk:"))
    bits = int(mask.split()[1], 16)
    return {number for number in range(1, 65) if bits >> (number - 1) & 1}


@linux_only(reason="/proc shows each thread's blocked signals")
def test_the_threads_beside_a_transfer_leave_stop_signals_to_the_main_thread(
    tmp_path: Path,
) -> None:
    # A signal taken by one of them would not interrupt the main thread's
    # blocked read; macOS hands a process's signal to any thread willing.
    with Sha256(), (tmp_path / "file").open("wb") as out, Flusher(out) as flusher:
        flusher.wrote(SYNC_EVERY)  # the flushing thread starts
        helpers = [
            thread
            for thread in threading.enumerate()
            if thread.name == "sha256" or thread.name.startswith("fsync")
        ]
        assert len(helpers) == 2
        deadline = time.monotonic() + TIMEOUT  # each blocks them as it starts
        while any(set(STOP_SIGNALS) - blocked_signals(t) for t in helpers):
            assert time.monotonic() < deadline, "a thread takes stop signals"
            time.sleep(0.01)
        assert not set(STOP_SIGNALS) & blocked_signals(threading.main_thread())
