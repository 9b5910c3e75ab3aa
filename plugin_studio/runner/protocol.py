"""Framing of the host↔worker pipe: a 4-byte big-endian length, then a UTF-8 JSON object.

Host → worker  ``{"id", "op", "payload"}`` or ``{"id", "host_result" | "host_error"}``.
Worker → host  ``{"id", "ok": true, "result"}``, ``{"id", "ok": false, "error": {...}}`` or, in
the middle of a call, ``{"id", "host_call": name, "args": {...}}`` (pluginData asks the host) and
``{"id", "clock": "pause", "limit_ms"}`` / ``{"id", "clock": "resume"}`` around compile time, which
does not count against the call's time limit.
"""
from __future__ import annotations

import json
import math
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
    """An op's result that is JSON text already (written by the JS runtime, as UTF-8 bytes): sent as it is,
    not parsed and written again. Only as a reply's ``result``."""
    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data


ROW_SLOTS = 6  # a plain chain.run answer's "rows": per step its number, status, µs, output, input, extras


def row_steps(rows: list) -> list[dict]:
    """The steps of a plain ``chain.run`` answer's ``rows`` (``ROW_SLOTS`` values to a step, as the runtime
    records them: number, status, duration in whole µs, output text, input text or None for the previous
    step's output, None or a dict of extras) as the general answer's step dicts."""
    steps = []
    for k in range(0, len(rows), ROW_SLOTS):
        number, status, micros, output, input_text, extras = rows[k:k + ROW_SLOTS]
        step = {"step": number, "status": status, "duration_ms": micros / 1000}
        if output is not None:
            step["output"] = output
        if input_text is not None:
            step["input"] = input_text
        steps.append(dict(step, **extras) if extras else step)
    return steps


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
            body = b"".join((head[:-1].encode("utf-8"), b', "result": ', raw.data, b"}"))
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


_spare = [-1.0, False, None]   # when last asked, whether a CPU was to spare, /proc/stat's (idle, total) then


def _cpu_to_spare() -> bool:
    """Whether half a CPU or more was idle over the last second (Linux's /proc/stat; first, and
    elsewhere, the load average), asked at most once a second: on a busy machine a spin takes the CPU the other
    side needs (a traced apply fell to ~1,000/s with both CPUs busy), so there it blocks at once."""
    now = time.monotonic()
    if now - _spare[0] > 1.0:
        counters = _cpu_counters()
        if counters is None or _spare[2] is None:   # nothing to compare with yet: the last minute's load
            spare = os.getloadavg()[0] < (os.cpu_count() or 1) - 0.5
        else:
            idle, total = counters[0] - _spare[2][0], counters[1] - _spare[2][1]
            spare = total > 0 and idle / total * (os.cpu_count() or 1) >= 0.5
        _spare[:] = [now, spare, counters]
    return _spare[1]


def _cpu_counters() -> tuple[int, int] | None:
    """(idle, total) jiffies of all CPUs since boot, or None without /proc/stat."""
    try:
        with open("/proc/stat", "rb") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return fields[3] + fields[4], sum(fields)


class Reader:
    """The messages arriving on one pipe, read in chunks: a message that arrives whole (most do) costs
    one ``read``, where reading its length and then its body cost two, each with a wait of its own.
    Bytes read past a message stay here for the next one."""

    CHUNK = 64 * 1024
    # Before blocking, look for the next message this long (s). The other side usually answers
    # within a few hundred µs; blocking at once lets this process's CPU go idle, and waking an
    # idle CPU costs more than the message: a traced 10-handler apply ran at ~1,300/s on an idle
    # 2-core machine, ~2,200-3,000/s with both processes kept on one CPU or the other CPU busy
    # (tests/perf/test_runner_perf.py). Spinning bounds the cost to this much CPU per wait.
    SPIN_S = 0.0005

    def __init__(self, fd: int):
        self.fd = fd
        self._buffer = b""
        self._poller = select.poll() if hasattr(select, "poll") else None
        if self._poller is not None:
            self._poller.register(fd, select.POLLIN)

    @property
    def pending(self) -> bool:
        """Whether (part of) a message has arrived and not been taken yet."""
        return bool(self._buffer)

    def message(self, deadline: float | None = None) -> dict:
        """The next message; ``deadline`` is a ``time.monotonic()`` instant (None waits forever)."""
        (length,) = HEADER.unpack(self._take(HEADER.size, deadline))
        if length > _limit[0]:
            raise Unreadable(f"a message of {length:,} bytes is larger than the {_limit[0]:,} bytes the pipe carries")
        try:
            return json.loads(self._take(length, deadline))
        except ValueError as exc:
            raise Unreadable(f"unreadable message: {exc}") from exc

    def _take(self, size: int, deadline: float | None) -> bytes:
        buffer = self._buffer
        if len(buffer) < size:
            chunks, have = [buffer], len(buffer)
            while have < size:
                chunk = self._read(min(max(self.CHUNK, size - have), 1 << 20), deadline)
                chunks.append(chunk)
                have += len(chunk)
            buffer = b"".join(chunks)
        if len(buffer) == size:
            self._buffer = b""
            return buffer
        self._buffer = buffer[size:]
        return buffer[:size]

    def _read(self, size: int, deadline: float | None) -> bytes:
        if not self._spun_ready():
            if deadline is not None:
                wait = deadline - time.monotonic()
                if wait <= 0 or not self._ready(wait):
                    raise Deadline()
        chunk = os.read(self.fd, size)
        if not chunk:
            raise Closed("end of pipe")
        return chunk

    def _spun_ready(self) -> bool:
        """Whether something arrived within ``SPIN_S``, polled without sleeping (see SPIN_S)."""
        if self._poller is None or not _cpu_to_spare():
            return False
        until = time.perf_counter() + self.SPIN_S
        while not self._poller.poll(0):
            if time.perf_counter() >= until:
                return False
        return True

    def _ready(self, wait: float) -> bool:
        if self._poller is not None:  # poll, unlike select, takes a descriptor past FD_SETSIZE (1024)
            return bool(self._poller.poll(max(1, math.ceil(wait * 1000))))
        return bool(select.select([self.fd], [], [], wait)[0])
