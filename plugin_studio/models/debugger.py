"""What the debugger pane knows without Qt: scenarios, breakpoints, timings, diffs.

- Handlers are ``models.chain.Handler`` (``Registration`` here), loaded by ``runner.chain_load``.
- ``ScenarioStore`` / ``BreakpointStore``: JSON files per plugin under the config folder; a
  corrupt file is logged, moved aside and ignored.
- ``timing_stats``: median and p95 per handler over many runs; ``json_diff``: value in vs out.
"""
from __future__ import annotations

import json
import logging
import math
import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from plugin_studio import settings
from plugin_studio.models import js_value
from plugin_studio.models.js_value import js_literal
from plugin_studio.models.chain import (  # noqa: F401 (EVENT, HOOK: the views import them from here)
    EVENT, HOOK, ORDERS, STOREFRONT, TABLES, Handler,
)

log = logging.getLogger(__name__)

MODES = ("filter", "action", "event")
NO_PLUGIN_KEY = "_active"  # the file for "all active plugins, none being edited"


# ---- registrations ------------------------------------------------------------------------------

# The inspector's rows are the chain's one handler type (models.chain.Handler); loaded by runner.chain_load.
Registration = Handler


# ---- samples and JSON input ---------------------------------------------------------------------

PRODUCT = {
    "id": "prod_tea", "name": "Green tea, 100 g", "sku": "TEA-100", "price": 100, "currency": "USD",
    "compareAtPrice": 120, "inStock": True, "stock": 14, "categories": ["tea"],
}
CART_WITH_ITEMS = {
    "id": "cart_demo_1", "currency": "USD", "itemCount": 3, "subtotal": 57.5, "total": 57.5,
    "items": [
        {"id": "li_1", "productId": "prod_tea", "name": "Green tea, 100 g", "price": 12.5, "quantity": 2},
        {"id": "li_2", "productId": "prod_mug", "name": "Stoneware mug", "price": 32.5, "quantity": 1},
    ],
    "customer": {"id": "cust_42", "email": "ada@example.com"},
}
EMPTY_CART = {"id": "cart_demo_2", "currency": "USD", "itemCount": 0, "subtotal": 0, "total": 0, "items": []}

# name -> (value, extra args)
SAMPLES: dict[str, tuple[Any, list]] = {
    "Price 100 with its product": (100, [PRODUCT]),
    "A product": (PRODUCT, []),
    "A cart with items": (CART_WITH_ITEMS, []),
    "An empty cart": (EMPTY_CART, []),
}


class InputError(ValueError):
    """JSON typed by the user that can't be read; the message says where."""


def parse_json(text: str, what: str, *, default: Any = None) -> Any:
    """The value of ``text`` (blank means ``default``); ``InputError`` names the field, line and column."""
    if not text.strip():
        return default
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def check_fetch(responses: Any) -> list:
    """Canned ``fetch()`` responses as the browser environment takes them; InputError says what is wrong."""
    if not isinstance(responses, list) or not all(isinstance(r, dict) and isinstance(r.get("url"), str)
                                                  for r in responses):
        raise InputError('Fetch must be a JSON array of responses, each with a "url", e.g. '
                         '[{"url": "/api/cart", "status": 200, "body": {"items": []}}]')
    return responses


def parse_fetch(text: str) -> list:
    return check_fetch(parse_json(text, "Fetch", default=[]))


def parse_args(text: str) -> list:
    args = parse_json(text, "Extra args", default=[])
    if not isinstance(args, list):
        raise InputError("Extra args must be a JSON array, e.g. [{\"id\": 1}]")
    return args


def to_json_text(value: Any) -> str:
    """Indented JSON; NaN, ±Infinity, -0 and undefined as their tags (``models.js_value``)."""
    return json.dumps(js_value.tagged(value), indent=2, ensure_ascii=False)


def editable_json(value: Any, width: int = 70) -> str:
    """On one line when it fits in ``width`` characters, else indented."""
    line = json.dumps(js_value.tagged(value), ensure_ascii=False, separators=(", ", ": "))
    return line if len(line) <= width else to_json_text(value)


def short_json(value: Any, limit: int = 60) -> str:
    """One line, as JavaScript writes the value (NaN, -0, undefined kept), cut at ``limit`` characters."""
    return js_literal(value, limit)


# ---- JSON diff ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # changed | added | removed
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.path}: {short_json(self.new)}"
        if self.kind == "removed":
            return f"- {self.path}: {short_json(self.old)}"
        return f"~ {self.path}: {short_json(self.old)} → {short_json(self.new)}"


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float))
        and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


def json_diff(before: Any, after: Any, path: str = "value") -> list[Change]:
    """What changed between two JSON values, leaf by leaf (objects by key, arrays by index)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[Change] = []
        for key in [*before, *(k for k in after if k not in before)]:
            where = f"{path}.{key}" if re.match(r"^[A-Za-z_$][\w$]*$", key) else f"{path}[{json.dumps(key)}]"
            if key not in after:
                changes.append(Change(where, "removed", old=before[key]))
            elif key not in before:
                changes.append(Change(where, "added", new=after[key]))
            else:
                changes += json_diff(before[key], after[key], where)
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for i in range(max(len(before), len(after))):
            where = f"{path}[{i}]"
            if i >= len(after):
                changes.append(Change(where, "removed", old=before[i]))
            elif i >= len(before):
                changes.append(Change(where, "added", new=after[i]))
            else:
                changes += json_diff(before[i], after[i], where)
        return changes
    return [] if _same(before, after) else [Change(path, "changed", before, after)]


# ---- timing ---------------------------------------------------------------------------------------

def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class HandlerTiming:
    row_id: str
    label: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95) if self.samples else 0.0


def timing_stats(handlers: Iterable[tuple[str, str]], runs: Iterable[Iterable[tuple[str, float]]]) -> list[HandlerTiming]:
    """Per handler (row id, label), in chain order, the durations (ms) it took in each run."""
    by_row = {row_id: HandlerTiming(row_id, label) for row_id, label in handlers}
    for run in runs:
        for row_id, ms in run:
            if row_id in by_row:
                by_row[row_id].samples.append(ms)
    return list(by_row.values())


def slowest(timings: list[HandlerTiming]) -> int | None:
    """Index of the handler with the highest median, None when nothing ran."""
    measured = [(t.median, i) for i, t in enumerate(timings) if t.samples]
    return max(measured)[1] if measured else None


# ---- scenarios and breakpoints on disk --------------------------------------------------------------

@dataclass
class Scenario:
    name: str
    target: str            # hook | event
    hook_name: str
    mode: str = "filter"   # filter | action | event
    value: Any = None
    args: list = field(default_factory=list)
    order: str = STOREFRONT              # storefront | priority (the documented order)
    fetch: list = field(default_factory=list)   # canned fetch() responses: [{url, method, status, body}]

    @classmethod
    def from_dict(cls, data: dict) -> "Scenario":
        scenario = cls(str(data["name"]), str(data["target"]), str(data["hook_name"]), str(data.get("mode", "filter")),
                       data.get("value"), list(data.get("args") or []), str(data.get("order", STOREFRONT)),
                       check_fetch(data.get("fetch") or []))
        if scenario.target not in TABLES or scenario.mode not in MODES or scenario.order not in ORDERS:
            raise ValueError(f"unknown target, mode or order in scenario {scenario.name!r}")
        return scenario


@dataclass
class BreakpointSpec:
    row_id: str
    condition: str | None = None
    hit_count: int | None = None
    enabled: bool = True

    @classmethod
    def from_dict(cls, data: dict) -> "BreakpointSpec":
        hit_count = data.get("hit_count")
        return cls(str(data["row_id"]), data.get("condition") or None,
                   int(hit_count) if hit_count else None, bool(data.get("enabled", True)))


def plugin_key(plugin_id: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", plugin_id) if plugin_id else NO_PLUGIN_KEY


def _free_name(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``... whichever does not exist yet (a set-aside file is never overwritten)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


class _JsonListStore:
    """A JSON array of records per plugin, in ``<config>/<folder>/<plugin>.json``."""

    folder_name = ""
    record: Any = None

    def __init__(self, root: Path | None = None):
        self.root = (root or settings.config_dir()) / self.folder_name

    def path(self, plugin_id: str | None) -> Path:
        return self.root / f"{plugin_key(plugin_id)}.json"

    def load(self, plugin_id: str | None) -> list:
        path = self.path(plugin_id)
        if not path.exists():
            return []
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, list):
                raise ValueError("the file does not hold a JSON array")
            return [self.record.from_dict(item) for item in raw]
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            aside = _free_name(path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"))
            log.warning("%s is unreadable (%s); ignored and kept as %s", path, exc, aside.name)
            try:
                path.replace(aside)
            except OSError:
                log.warning("could not move %s aside", path)
            return []

    def save(self, plugin_id: str | None, records: list) -> None:
        path = self.path(plugin_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(r) for r in records], indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)


class ScenarioStore(_JsonListStore):
    folder_name = "scenarios"
    record = Scenario


class BreakpointStore(_JsonListStore):
    folder_name = "breakpoints"
    record = BreakpointSpec


def upsert_scenario(scenarios: list[Scenario], scenario: Scenario) -> list[Scenario]:
    """The list with ``scenario`` replacing the one of the same name, or added at the end."""
    out = [s for s in scenarios if s.name != scenario.name]
    index = next((i for i, s in enumerate(scenarios) if s.name == scenario.name), len(out))
    out.insert(index, scenario)
    return out
