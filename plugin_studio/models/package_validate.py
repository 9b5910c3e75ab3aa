"""Checks on the values of a package, each problem named by the path of the bad value.

Nothing here touches the database: a package is checked completely before a row is written,
and every value that PostgreSQL would refuse (NUL bytes, unpaired surrogates, too long for its
column, NaN in JSON) is refused here with a message a user can act on.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from plugin_studio.db import exact_json
from plugin_studio.db.safe_text import unsafe_problem

EVENT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")
WIDGET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
INT32 = (-(2**31), 2**31 - 1)
MB = 1024 * 1024
# jsonb nesting a package may hold; PostgreSQL itself allows deeper, but a value this deep is a
# mistake or an attack, and refusing it the same way on export and import keeps the two in step.
MAX_JSON_DEPTH = 200


@dataclass(frozen=True)
class Problem:
    path: str       # e.g. "events[3].eventName"
    message: str    # e.g. "missing"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PackageInvalid(Exception):
    """The package cannot be imported (or a plugin exported); ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem], action: str = "imported"):
        self.problems = problems
        self.action = action      # "imported" or "exported"
        shown = "; ".join(map(str, problems[:5]))
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"the package cannot be {action}: {shown}{more}")


@dataclass
class Limits:
    file_bytes: int = 10 * MB
    package_bytes: int = 100 * MB

    @classmethod
    def from_settings(cls, settings) -> "Limits":
        return cls(int(settings.package_file_limit_mb * MB), int(settings.package_total_limit_mb * MB))


@dataclass
class Checker:
    """Collects problems while a package is read; each check returns the value to store."""
    limits: Limits = field(default_factory=Limits)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Problem(path, message))

    def text(self, path: str, value: Any, max_chars: int | None = None) -> str | None:
        if not isinstance(value, str):
            return self._wrong_type(path, value, "a string")
        if max_chars is not None and len(value) > max_chars:
            self.fail(path, f"is {len(value)} characters, longer than the platform's column allows ({max_chars})")
            return None
        return value if self._storable(path, value) else None

    def name(self, path: str, value: Any, max_chars: int = 255) -> str | None:
        """A name shown as a label, a path or in a file header: not empty, no control, bidi,
        zero-width or line-separator character (``db.safe_text``)."""
        value = self.text(path, value, max_chars)
        if value is None:
            return None
        if not value.strip():
            self.fail(path, "is empty")
            return None
        problem = unsafe_problem(value)
        if problem:
            self.fail(path, f"{value!r} {problem}")
            return None
        return value

    def single_line(self, path: str, value: Any, max_chars: int | None = None) -> str | None:
        """Text that reaches a file header or a one-line label (a migration's description): may be
        empty, but holds no control, bidi, zero-width or line-separator character."""
        value = self.text(path, value, max_chars)
        problem = unsafe_problem(value) if value is not None else None
        if problem:
            self.fail(path, f"{value!r} {problem}")
            return None
        return value

    def path_name(self, path: str, value: Any, max_chars: int = 255) -> str | None:
        """A name that becomes one segment of a path in the tree (``widgets/<id>.jsx``): a name without
        a slash or backslash."""
        value = self.name(path, value, max_chars)
        if value is not None and ("/" in value or "\\" in value):
            self.fail(path, f"{value!r} contains a slash, but it is one segment of a file's path")
            return None
        return value

    def code(self, path: str, value: Any) -> str | None:
        if not isinstance(value, str):
            return self._wrong_type(path, value, "a string")
        # A character is at most 4 bytes of UTF-8: only long texts need encoding to measure.
        if len(value) * 4 > self.limits.file_bytes:
            size = len(value.encode("utf-8", "surrogatepass"))
            if size > self.limits.file_bytes:
                self.fail(path, f"{megabytes(size)} is over the per-file limit of {megabytes(self.limits.file_bytes)}")
                return None
        return value if self._storable(path, value) else None

    def _storable(self, path: str, value: str) -> bool:
        if "\x00" in value:
            self.fail(path, f"contains a NUL byte at character {value.index(chr(0))}, which PostgreSQL cannot store")
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            self.fail(path, f"contains an unpaired surrogate at character {exc.start}, which is not valid text")
            return False
        return True

    def integer(self, path: str, value: Any) -> int | None:
        if isinstance(value, (float, Decimal)) and _finite(value) and value == int(value) and abs(value) < 2**63:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            return self._wrong_type(path, value, "an integer")
        if not INT32[0] <= value <= INT32[1]:
            self.fail(path, f"{value} is out of range for an integer column")
            return None
        return value

    def boolean(self, path: str, value: Any) -> bool | None:
        if not isinstance(value, bool):
            return self._wrong_type(path, value, "true or false")
        return value

    def choice(self, path: str, value: Any, choices: tuple[str, ...]) -> str | None:
        if value not in choices:
            shown = value if isinstance(value, str) else type_name(value)
            self.fail(path, f"{shown!r} is not one of {', '.join(choices)}")
            return None
        return value

    def pattern(self, path: str, value: Any, regex: re.Pattern, what: str, max_chars: int = 255) -> str | None:
        value = self.text(path, value, max_chars)
        if value is not None and not regex.match(value):
            self.fail(path, f"{value!r} is not a valid {what}")
            return None
        return value

    def file_name(self, path: str, value: Any, max_chars: int = 255) -> str | None:
        value = self.text(path, value, max_chars)
        if value is None:
            return None
        reason = file_name_problem(value)
        if reason:
            self.fail(path, f"{value!r} {reason}")
            return None
        return value

    def timestamp(self, path: str, value: Any) -> str | None:
        value = self.text(path, value, 64)
        if value is None:
            return None
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.fail(path, f"{value!r} is not an ISO 8601 date and time")
            return None
        return value

    def json_value(self, path: str, value: Any) -> Any:
        """Any JSON value that jsonb can hold (no NUL in strings, no NaN)."""
        before = len(self.problems)
        self._walk_json(path, value, 0)
        return value if len(self.problems) == before else None

    def _walk_json(self, path: str, value: Any, depth: int) -> None:
        if depth > MAX_JSON_DEPTH:
            self.fail(path, f"nested too deeply (more than {MAX_JSON_DEPTH} levels)")
        elif isinstance(value, str):
            self._storable(path, value)
        elif isinstance(value, (float, Decimal)) and not numeric_storable(value):
            self.fail(path, f"{value} is not a JSON number PostgreSQL can store")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self._walk_json(f"{path}[{i}]", item, depth + 1)
        elif isinstance(value, dict):
            for key, item in value.items():
                self._storable(f"{path} key {key!r}", key)
                self._walk_json(f"{path}.{key}", item, depth + 1)

    def json_object(self, path: str, value: Any) -> dict | None:
        """An object, or a string holding one (some exports store JSON columns as text)."""
        if isinstance(value, str):
            value = self._parsed(path, value)
            if value is None:
                return None
        if not isinstance(value, dict):
            return self._wrong_type(path, value, "a JSON object")
        return self.json_value(path, value)

    def _parsed(self, path: str, text: str) -> Any:
        try:
            return exact_json.loads(text)
        except (ValueError, RecursionError) as exc:
            self.fail(path, f"is a string but not valid JSON ({exc})")
            return None

    def _wrong_type(self, path: str, value: Any, expected: str) -> None:
        self.fail(path, f"expected {expected}, got {type_name(value)}")
        return None


def file_name_problem(name: str) -> str | None:
    """Why a file name is unsafe, or None: relative, no '..', no backslash, no control character."""
    if not name.strip():
        return "is empty"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash"
    unsafe = unsafe_problem(name)
    if unsafe:
        return unsafe
    parts = name.split("/")
    if ".." in parts:
        return "contains '..'"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path segment"
    if name != name.strip():
        return "starts or ends with a space"
    return None


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# PostgreSQL's numeric (which jsonb numbers are): up to 131072 digits before the point, 16383 after.
NUMERIC_INTEGER_DIGITS = 131072
NUMERIC_FRACTION_DIGITS = 16383


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def numeric_storable(value: float | Decimal) -> bool:
    """Whether jsonb can hold the number exactly: finite, and within numeric's digits."""
    if not _finite(value):
        return False
    if isinstance(value, float) or value == 0:
        return True
    sign, digits, exponent = value.as_tuple()
    return value.adjusted() < NUMERIC_INTEGER_DIGITS and -exponent <= NUMERIC_FRACTION_DIGITS


def megabytes(size: int) -> str:
    """A size as people read it: 512 bytes, 3.5 KB, 50.0 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB"
