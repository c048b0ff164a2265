"""Work done beside a transfer, in threads: its SHA-256, and its flush to disk.

Guide, GIL: hashing and ``fsync`` release the GIL, so a thread does each
while the main thread reads the socket and writes the file. Both are
context managers that wait for their thread on exit, errors and stop
signals included, so no thread outlives the file it works on. Neither
thread takes a stop signal: the system hands each to the main thread, whose
read or write it interrupts, and where Python runs the handler.
"""

import hashlib
import os
import queue
import signal
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import BinaryIO, Self

from {{ cookiecutter.package_name }}.core.boundary import STOP_SIGNALS

#: Bytes handed to the hashing thread at once: one wake-up and one update per
#: batch, not per read, keeps the cost of the hand-over small.
HASH_BATCH = 2**20
#: Chunks in a batch, at most: a server sending a byte at a time would
#: otherwise fill a batch with a million objects, each far bigger than its byte.
HASH_PIECES = 1024
#: Batches waiting to be hashed, at most: memory stays bounded (a few MiB)
#: when hashing is slower than the network.
HASH_BACKLOG = 4
#: Bytes written between two background flushes to disk.
SYNC_EVERY = 32 * 2**20

if sys.platform == "win32":  # pragma: windows-only

    def leave_stop_signals_to_the_main_thread() -> None:
        """Do nothing: Windows has no signal masks (Ctrl-C comes in its own thread)."""

else:  # pragma: posix-only

    def leave_stop_signals_to_the_main_thread() -> None:
        """Block the stop signals in the calling thread, so it never takes one.

        A process's signal goes to any thread that does not block it (macOS
        picks one at random). One taken here would not interrupt the main
        thread's blocking read, so a stalled server would keep a Ctrl-C
        waiting for the read's timeout.
        """
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


class Sha256:
    """SHA-256 of the chunks given to ``update``, computed in its own thread."""

    def __init__(self) -> None:
        """Prepare the thread; ``with`` starts it."""
        self._digest = hashlib.sha256()
        self._batch: list[bytes] = []
        self._size = 0
        self._batches: queue.Queue[list[bytes] | None] = queue.Queue(HASH_BACKLOG)
        self._thread = threading.Thread(target=self._hash, name="sha256", daemon=True)

    def _hash(self) -> None:
        leave_stop_signals_to_the_main_thread()
        # One update per batch: the GIL is released once, for the whole MiB,
        # not twice per read, when the main thread needs it most.
        while (batch := self._batches.get()) is not None:
            self._digest.update(b"".join(batch))

    def update(self, chunk: bytes) -> None:
        """Add ``chunk``; hand a full batch over, waiting while the backlog is full."""
        self._batch.append(chunk)
        self._size += len(chunk)
        if self._size >= HASH_BATCH or len(self._batch) >= HASH_PIECES:
            self._hand_over()

    def _hand_over(self) -> None:
        self._batches.put(self._batch)
        self._batch, self._size = [], 0

    def hexdigest(self) -> str:
        """Return the digest of every chunk given so far; no more may follow."""
        self._hand_over()
        self._stop()
        return self._digest.hexdigest()

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._batches.put(None)
            self._thread.join()

    def __enter__(self) -> Self:
        """Start the thread."""
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        """Stop the thread once it has hashed what was handed over."""
        self._stop()


class Flusher:
    """Flush a file to disk in a thread, every ``SYNC_EVERY`` bytes written.

    The final ``fsync`` before the rename then has little left to write, and
    at most two batches of ``SYNC_EVERY`` bytes wait in memory for the disk:
    a flush still running when the next is due is waited for. A flush that
    fails raises its error then, or on exit.
    """

    def __init__(self, out: BinaryIO) -> None:
        """Flush ``out``; ``with`` ends the thread."""
        self._out = out
        self._pool = ThreadPoolExecutor(
            1, "fsync", initializer=leave_stop_signals_to_the_main_thread
        )
        self._flush: Future[None] | None = None
        self._unflushed = 0

    def wrote(self, count: int) -> None:
        """Count ``count`` bytes written; start a flush when enough are waiting."""
        self._unflushed += count
        if self._unflushed >= SYNC_EVERY:
            self._wait()
            self._flush = self._pool.submit(os.fsync, self._out.fileno())
            self._unflushed = 0

    def _wait(self) -> None:
        if self._flush is not None:
            self._flush.result()

    def __enter__(self) -> Self:
        """Use the thread."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Wait for the running flush; raise its error unless another is on its way."""
        self._pool.shutdown()
        if exc is None:
            self._wait()
