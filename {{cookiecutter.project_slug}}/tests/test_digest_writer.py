"""The threaded writer: same bytes, same digest, and the worker's errors raised here."""

import hashlib
import io

import pytest
import typing_extensions

from {{ cookiecutter.package_name }}.digest_writer import QUEUED_CHUNKS, DigestWriter


class FullDisk(io.BytesIO):
    """A file on a full disk: every write fails."""

    @typing_extensions.override
    def write(self, _: object, /) -> int:
        """Fail as a full disk does."""
        raise OSError(28, "No space left on device")


def test_it_writes_and_hashes_every_chunk_in_order() -> None:
    out = io.BytesIO()
    chunks = [bytes([n]) * 1000 for n in range(100)]
    with DigestWriter(out) as writer:
        for chunk in chunks:
            writer.write(chunk)
    assert out.getvalue() == b"".join(chunks)
    assert writer.hexdigest() == hashlib.sha256(b"".join(chunks)).hexdigest()


def test_a_worker_error_is_raised_on_leaving_the_block() -> None:
    with pytest.raises(OSError, match="No space"), DigestWriter(FullDisk()) as writer:
        writer.write(b"x")


def test_a_worker_error_is_raised_by_a_later_write_and_never_blocks() -> None:
    def write_more_than_the_queue_holds() -> None:
        with DigestWriter(FullDisk()) as writer:
            for _ in range(QUEUED_CHUNKS * 100):
                writer.write(b"x")

    with pytest.raises(OSError, match="No space"):
        write_more_than_the_queue_holds()


def test_the_callers_own_error_wins_over_the_workers() -> None:
    def interrupted() -> None:
        with DigestWriter(FullDisk()) as writer:
            writer.write(b"x")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
