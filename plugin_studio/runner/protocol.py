"""Framing of the host↔worker pipe: a 4-byte big-endian length, then a UTF-8 JSON object.

Host → worker  ``{"id", "op", "payload"}`` or ``{"id", "host_result" | "host_error"}``.
Worker → host  ``{"id", "ok": true, "result"}``, ``{"id", "ok": false, "error": {...}}`` or, in
the middle of a call, ``{"id", "host_call": name, "args": {...}}`` (pluginData asks the host) and
``{"id", "clock": "pause", "limit_ms"}`` / ``{"id", "clock": "resume"}`` around compile time, which
does not count against the call's time limit.
"""
from __future__ import annotations

import json
import os
import select
import struct
import time

from plugin_studio.runner.errors import PayloadError, ProtocolError

HEADER = struct.Struct(">I")
MAX_MESSAGE = 256 * 1024 * 1024  # what a 4-byte length could carry is far more than the IDE should hold
_limit = [MAX_MESSAGE]


def set_max_message(size: int) -> None:
    """The largest message either side sends or accepts (``Limits.answer_bytes``)."""
    _limit[0] = max(1024, min(int(size), 2 ** 32 - 1))


def max_message() -> int:
    return _limit[0]


class RawJson:
    """An op's result that is JSON text already (written by the JS runtime): sent as it is, not parsed and
    written again. Only as a reply's ``result``."""
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class Closed(Exception):
    """The other end of the pipe went away."""


class Deadline(Exception):
    """No complete message arrived in time."""


class Unreadable(ProtocolError):
    """A message could not be read (too large, not JSON): the pipe can no longer be trusted."""


def encode(message: dict) -> bytes:
    raw = message.get("result")
    try:
        if isinstance(raw, RawJson):
            head = json.dumps({k: v for k, v in message.items() if k != "result"}, ensure_ascii=False)
            body = f'{head[:-1]}, "result": {raw.text}}}'.encode("utf-8")
        else:
            body = json.dumps(message, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise PayloadError(f"a value can't be sent to JavaScript as JSON: {exc}") from exc
    if len(body) > _limit[0]:
        raise PayloadError(f"the message is {len(body):,} bytes, more than the {_limit[0]:,} bytes the runner's pipe "
                           "carries (a value or answer that large can't be shown either)")
    return HEADER.pack(len(body)) + body


def write_message(fd: int, message: dict) -> None:
    data = memoryview(encode(message))
    try:
        while data:
            data = data[os.write(fd, data):]
    except (BrokenPipeError, OSError) as exc:
        raise Closed(str(exc)) from exc


def read_message(fd: int, deadline: float | None = None) -> dict:
    """One message; ``deadline`` is a ``time.monotonic()`` instant (None waits forever)."""
    (length,) = HEADER.unpack(_read_exact(fd, HEADER.size, deadline))
    if length > _limit[0]:
        raise Unreadable(f"a message of {length:,} bytes is larger than the {_limit[0]:,} bytes the pipe carries")
    try:
        return json.loads(_read_exact(fd, length, deadline))
    except ValueError as exc:
        raise Unreadable(f"unreadable message: {exc}") from exc


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise Deadline()
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise Closed("end of pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
