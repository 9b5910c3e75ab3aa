"""Limits applied to every call into plugin JavaScript (defaults from ``Settings``)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from plugin_studio.settings import Settings


@dataclass(frozen=True)
class Limits:
    timeout_ms: int = 1000        # wall time of one handler or call, stopped by QuickJS's interrupt handler
    grace_ms: int = 1500          # after timeout + grace the host kills the worker
    memory_mb: int = 512          # QuickJS heap limit per plugin context; rlimit backstop on the worker
    stack_kb: int = 1024          # QuickJS stack limit: bounds recursion depth
    console_bytes: int = 1_000_000  # console output kept per call (the rest is dropped, with a note)
    answer_bytes: int = 64 * 1024 * 1024  # the largest message on the worker's pipe, either way
    compile_ms: int = 60_000      # compiling one file (the module transform's first load included): not the plugin's time

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Limits":
        s = settings or Settings.load()
        return cls(s.runner_timeout_ms, s.runner_grace_ms, s.runner_memory_mb, s.runner_stack_kb,
                   s.runner_console_bytes)

    def as_dict(self) -> dict:
        return asdict(self)
