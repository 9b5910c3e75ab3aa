"""Give the memory a closed preview held back to the system.

A preview's widget tree (hundreds of Qt widgets and their style sheets) is freed when its pane
goes, but glibc's allocator keeps freed heap pages for reuse, so the IDE's RSS stays ~20 MB up
after the first previews. ``malloc_trim(0)`` hands them back. Other C libraries (macOS, Windows,
musl) have no such call and need none: there this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache

from PySide6.QtCore import QTimer


@lru_cache(maxsize=1)
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def release_soon(delay_ms: int = 250) -> None:
    """Once the event loop has deleted the closed pane's widgets."""
    QTimer.singleShot(delay_ms, release_freed_memory)
