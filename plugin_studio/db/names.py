"""Naming rules shared by the queries and the pure domain (this module imports no psycopg)."""
from __future__ import annotations

import re
import unicodedata


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "plugin"


def version_key(version: str) -> tuple:
    """Sort key for versions, numbers compared as numbers (``1.10`` after ``1.9``, ``20250129_143000``)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in re.findall(r"\d+|[^\d]+", version or ""))
