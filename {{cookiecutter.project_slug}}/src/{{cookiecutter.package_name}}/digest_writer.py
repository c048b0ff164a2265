"""Hash and write a stream in a second thread, while the first one reads.

Guide, GIL: threads for I/O. ``hashlib`` and file writes release the GIL, so
the SHA-256 and the disk work overlap with receiving the next bytes instead
of taking turns with it (``benchmarks/run.py`` (d)). The queue is bounded:
memory stays flat however slow the disk.
"""

import hashlib
import queue
import threading
from types import TracebackType
from typing import BinaryIO, Self

QUEUED_CHUNKS = 16  # at most 16 reads (1 MiB at 64 KiB each) wait for the disk


class DigestWriter:
    """Write chunks to ``out`` and hash them in a worker thread; a context manager.

    An error of the worker (a full disk) is raised in the caller, by the next
    ``write`` or on leaving the block. The worker always drains the queue, so
    the caller can never block on a dead worker.
    """

    def __init__(self, out: BinaryIO) -> None:
        """Write into ``out`` (already open; the caller closes it)."""
        self._out = out
        self._digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(QUEUED_CHUNKS)
        self._error: BaseException | None = None
        self._worker = threading.Thread(target=self._work, daemon=True)

    def __enter__(self) -> Self:
        """Start the worker."""
        self._worker.start()
        return self

    def write(self, chunk: bytes) -> None:
        """Queue ``chunk``; raise the worker's error if it has failed."""
        self._raise_error()
        self._queue.put(chunk)

    def hexdigest(self) -> str:
        """Return the SHA-256 of everything written (after the block)."""
        return self._digest.hexdigest()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Wait until every chunk is on its way to the disk; raise a worker error."""
        self._queue.put(None)
        self._worker.join()
        if exc is None:
            self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _work(self) -> None:
        while (chunk := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain, so that put() never blocks
            try:
                self._digest.update(chunk)
                self._out.write(chunk)
            except Exception as exc:  # noqa: BLE001 -- handed to the caller's thread
                self._error = exc
