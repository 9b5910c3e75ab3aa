"""Limits for the runner tests' JS workers (a module of its own: test modules import it by name)."""
from __future__ import annotations

from dataclasses import replace

from plugin_studio.runner.limits import Limits

FAST_LIMITS = Limits(timeout_ms=1000, grace_ms=1500, memory_mb=256, stack_kb=1024, console_bytes=100_000)
# The time limit is wall time (compiling is set aside, but a plugin's own code still runs many times
# slower on a loaded machine): tests that are not about the time limit get room.
ROOMY_LIMITS = replace(FAST_LIMITS, timeout_ms=60_000)
