"""JSON whose numbers keep their exact text, as PostgreSQL's jsonb keeps them.

jsonb stores numbers as ``numeric``: ``19.990000000000000001``, ``1e-400``, ``1e400`` and integers
beyond 2^53 are kept exactly, where Python's ``float`` (and JavaScript's Number) would round them,
underflow to 0 or overflow to infinity. Here a number with a fraction or an exponent is read as a
``JsonNumber``: a ``Decimal`` (so it compares and computes exactly) that remembers the text it was
read from and is written back as that text, unchanged. Integers are Python ints, exact already.

This module imports no psycopg: the package format (``models/``) and the queries (``db/``) share it.
Reading is simplejson's C scanner with ``parse_float``; writing is simplejson's encoder with
``use_decimal``, which writes a Decimal as ``str(value)``: the remembered text.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

import simplejson

__all__ = ["JsonNumber", "loads", "dumps", "number", "JSONDecodeError"]

JSONDecodeError = simplejson.JSONDecodeError


class JsonNumber(Decimal):
    """A JSON number with a fraction or exponent, exactly as written (``str()`` is that text)."""

    __slots__ = ("text",)

    def __new__(cls, text: str) -> "JsonNumber":
        self = super().__new__(cls, text)
        self.text = text
        return self

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"JsonNumber({self.text!r})"

    def __reduce__(self):
        return (JsonNumber, (self.text,))

    def __copy__(self) -> "JsonNumber":
        return self

    def __deepcopy__(self, memo) -> "JsonNumber":
        return self


def number(text: str) -> int | JsonNumber:
    """A number from its JSON text: an int when it is one, else a JsonNumber keeping the text."""
    try:
        return int(text)
    except ValueError:
        return JsonNumber(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads(text: str | bytes, *, object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None) -> Any:
    """Parse JSON text; numbers with a fraction or exponent become JsonNumbers, NaN/Infinity are refused.

    Raises ``JSONDecodeError`` (a ValueError) for text that is not JSON, ``RecursionError`` for
    nesting deeper than Python's stack allows.
    """
    return simplejson.loads(text, parse_float=JsonNumber, parse_constant=_refuse_constant,
                            object_pairs_hook=object_pairs_hook)


def dumps(value: Any, *, indent: int | None = None, sort_keys: bool = False, compact: bool = True) -> str:
    """JSON text of ``value``; JsonNumbers are written as their own text, other Decimals as ``str()``.

    ``compact`` (without ``indent``) leaves out the spaces after ``,`` and ``:``. Non-ASCII text is
    written as itself (UTF-8), not as ``\\u`` escapes. NaN and infinite floats raise ValueError.
    """
    separators = (",", ":") if compact and indent is None else None
    return simplejson.dumps(value, use_decimal=True, indent=indent, sort_keys=sort_keys, ensure_ascii=False,
                            allow_nan=False, separators=separators)
