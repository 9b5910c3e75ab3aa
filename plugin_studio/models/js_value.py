"""JavaScript values as JSON text that keeps what plain JSON loses (DESIGN §5: traces keep NaN, ±Infinity, -0).

A value crosses between Python and the worker, and between two plugins' interpreters, as JSON in
which the values JSON has no literal for are tagged objects:

    {"$js": "NaN"}  {"$js": "Infinity"}  {"$js": "-Infinity"}  {"$js": "-0"}  {"$js": "undefined"}
    {"$js": "bigint", "value": "12"}  {"$js": "function", "name": "f"}  {"$js": "Promise"}
    {"$js": "object", "entries": [[key, value], ...]}   (an object that itself has a "$js" key)

The worker's runtime (resources/js/plugin_runtime.js) writes and reads the same tags. In Python,
numbers become floats (``nan``, ``inf``, ``-0.0``); the other tags become ``JsSpecial``.
``js_literal`` prints a value the way a browser's console would write it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

TAG = "$js"
_NUMBERS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0": -0.0}


@dataclass(frozen=True)
class JsSpecial:
    """A JavaScript value with no Python equivalent: undefined, a function, a Promise, a BigInt."""
    kind: str          # undefined | function | Promise | bigint
    detail: str = ""   # the function's name, the BigInt's digits

    def literal(self) -> str:
        if self.kind == "function":
            return f"[Function: {self.detail}]" if self.detail else "[Function (anonymous)]"
        if self.kind == "bigint":
            return f"{self.detail}n"
        return "Promise {…}" if self.kind == "Promise" else self.kind


UNDEFINED = JsSpecial("undefined")


def _from_tag(obj: dict) -> Any:
    if set(obj) - {TAG, "value", "name", "entries"} or not isinstance(obj.get(TAG), str):
        return obj
    tag = obj[TAG]
    if tag in _NUMBERS:
        return _NUMBERS[tag]
    if tag == "object":
        return {k: v for k, v in obj.get("entries", [])}
    if tag == "bigint":
        return JsSpecial("bigint", str(obj.get("value", "")))
    if tag == "function":
        return JsSpecial("function", str(obj.get("name", "")))
    return JsSpecial(tag)


def decode(text: str) -> Any:
    """The value of tagged JSON ``text``. Raises ValueError for text that is not JSON."""
    if TAG not in text:
        return json.loads(text)
    return json.loads(text, object_hook=_from_tag)


def tagged(value: Any) -> Any:
    """``value`` with the tags in place of the floats and specials JSON can't carry (plain JSON shape)."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value) or (value == 0 and math.copysign(1, value) < 0)):
        if math.isnan(value):
            return {TAG: "NaN"}
        if math.isinf(value):
            return {TAG: "Infinity" if value > 0 else "-Infinity"}
        return {TAG: "-0"}
    if isinstance(value, JsSpecial):
        out: dict = {TAG: value.kind}
        if value.kind == "bigint":
            out["value"] = value.detail
        elif value.kind == "function":
            out["name"] = value.detail
        return out
    if isinstance(value, dict):
        items = {str(k): tagged(v) for k, v in value.items()}
        return {TAG: "object", "entries": [[k, v] for k, v in items.items()]} if TAG in items else items
    if isinstance(value, (list, tuple)):
        return [tagged(v) for v in value]
    return value


def encode(value: Any) -> str:
    """Tagged JSON text of a Python value. Raises TypeError for values JSON can't hold (sets, bytes...)."""
    return json.dumps(tagged(value), ensure_ascii=False, allow_nan=False)


def js_literal(value: Any, limit: int | None = None) -> str:
    """The value as JavaScript source would write it (NaN, -0, undefined kept), cut at ``limit`` characters."""
    text = _literal(value)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _literal(value: Any) -> str:
    if isinstance(value, JsSpecial):
        return value.literal()
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == 0 and math.copysign(1, value) < 0:
            return "-0"
        return json.dumps(int(value)) if value.is_integer() and abs(value) < 2 ** 53 else repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
