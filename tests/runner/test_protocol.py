"""The worker pipe's framing (runner/protocol.py): messages read in chunks keep their boundaries."""
from __future__ import annotations

import os
import threading
import time

import pytest

from plugin_studio.runner import protocol


@pytest.fixture
def pipe():
    read_fd, write_fd = os.pipe()
    yield protocol.Reader(read_fd), write_fd
    os.close(read_fd)
    os.close(write_fd)


def test_messages_that_arrive_together_are_read_one_by_one(pipe):
    reader, write_fd = pipe
    os.write(write_fd, protocol.encode({"id": 1, "ok": True}) + protocol.encode({"id": 2, "ok": False}))
    assert reader.message() == {"id": 1, "ok": True}
    assert reader.pending
    assert reader.message(time.monotonic() + 5) == {"id": 2, "ok": False}
    assert not reader.pending


def test_a_message_larger_than_a_read_arrives_whole(pipe):
    reader, write_fd = pipe
    big = {"id": 3, "text": "é" * (3 * protocol.Reader.CHUNK)}
    data = protocol.encode(big)
    writer = threading.Thread(target=lambda: [os.write(write_fd, data[i:i + 4096]) for i in range(0, len(data), 4096)])
    writer.start()  # in pieces, as a busy pipe delivers it; more than the pipe holds, so while we read
    try:
        assert reader.message(time.monotonic() + 30) == big
    finally:
        writer.join()


def test_half_a_message_is_not_a_message(pipe):
    reader, write_fd = pipe
    os.write(write_fd, protocol.encode({"id": 4})[:6])
    with pytest.raises(protocol.Deadline):
        reader.message(time.monotonic() - 1)


def test_a_raw_result_is_sent_as_it_was_written():
    data = protocol.encode({"id": 5, "ok": True, "result": protocol.RawJson('{"value":"é"}'.encode())})
    reader_fd, write_fd = os.pipe()
    try:
        os.write(write_fd, data)
        assert protocol.Reader(reader_fd).message() == {"id": 5, "ok": True, "result": {"value": "é"}}
    finally:
        os.close(reader_fd)
        os.close(write_fd)
