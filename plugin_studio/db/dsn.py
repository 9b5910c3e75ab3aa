"""Connection strings as shown to people: every secret masked, whatever form the DSN was written in.

libpq accepts a password in three places (``postgresql://user:pw@host``, ``?password=pw`` in a
URI's query, ``password=pw`` in a ``key=value`` string), and ``sslpassword`` beside it. Pattern
matching misses some of them; libpq's own parser (psycopg's ``conninfo_to_dict``) finds them all.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

MASK = "***"
SECRET_KEYS = ("password", "sslpassword")
UNREADABLE = "(a connection string that could not be read)"


def masked_dsn(dsn: str) -> str:
    """``dsn`` with each secret replaced by ``***``, in the form it was written (URI or key=value).

    A DSN libpq cannot parse is not shown at all (it might still hold a password):
    ``"(a connection string that could not be read)"``.
    """
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return UNREADABLE
    if not any(key in parts for key in SECRET_KEYS):
        return dsn
    shown = {key: (MASK if key in SECRET_KEYS else value) for key, value in parts.items()}
    return _as_uri(shown) if _is_uri(dsn) else make_conninfo(**shown)


def _is_uri(dsn: str) -> bool:
    return dsn.lstrip().lower().startswith(("postgresql://", "postgres://"))


def _as_uri(parts: dict[str, str]) -> str:
    """A URI for already-masked ``parts``; hosts a URI's authority cannot hold (socket folders,
    several hosts) go in the query, as libpq reads them."""
    query = dict(parts)
    user = quote(query.pop("user", ""), safe="")
    password = query.pop("password", None)
    userinfo = f"{user}:{password}@" if password is not None else (f"{user}@" if user else "")
    host = query.get("host", "")
    authority = ""
    if host and not any(c in host for c in "/,:"):
        authority = query.pop("host")
        if "," not in query.get("port", ","):
            authority += f":{query.pop('port')}"
    dbname = quote(query.pop("dbname", ""), safe="")
    tail = f"?{urlencode(query, safe='/*')}" if query else ""
    return f"postgresql://{userinfo}{authority}/{dbname}{tail}"
