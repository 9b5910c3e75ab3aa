"""jsonb through psycopg with its numbers exact: read as ``exact_json`` reads them (Decimal keeping
the stored text, ints unbounded), written as their own text (``exact_json.dumps``).

psycopg's default loader is ``json.loads``, which turns ``19.990000000000000001`` into the float
19.99 and ``1e-400`` into 0.0; a cursor from ``exact_cursor`` hands them over as they are stored.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import psycopg
from psycopg.types.json import Jsonb, set_json_loads

from plugin_studio.db import exact_json


def exact_jsonb(value: Any) -> Any:
    """A value for a jsonb parameter, its numbers written as their exact text; None stays SQL NULL."""
    return None if value is None else Jsonb(value, dumps=exact_json.dumps)


@contextmanager
def exact_cursor(conn: psycopg.Connection, **kwargs) -> Iterator[psycopg.Cursor]:
    """A cursor that reads json/jsonb with ``exact_json`` (numbers as stored, not as floats)."""
    with conn.cursor(**kwargs) as cur:
        set_json_loads(exact_json.loads, cur)
        yield cur
