"""The platform's migration tracker as it reads files and what it leaves in ``plugin_migrations``.

``PluginMigrationTracker.parseMigrationFile`` (PLATFORM.md §6.2) is reproduced here so the IDE
can recognise what the tracker recorded, check it against the original file, and undo the
damage its DOWN-section regex does, without ever running the platform's code:

- checksum: MD5 of the file text as Node reads it (``readFileSync(path, 'utf8')`` keeps a BOM and
  CRLF endings; ``hash.update(string)`` hashes UTF-8), i.e. of the file's bytes for UTF-8 files;
- up_sql: the text before the first ``--<ws>DOWN Migration`` with everything up to the first
  ``-- UP Migration`` and the whitespace after it removed, trimmed;
- down_sql: the text after it with, from each line start, everything up to and including the
  next ``--`` and the whitespace after it removed (``/^[\\s\\S]*?--\\s*/gm``), trimmed; so the
  decoration line after the marker survives as ``=====…`` and lines followed by a comment are eaten;
- migration_name: the file name it was given (so it ends in ``.sql``; ours never does).

JavaScript's regular expressions differ from Python's in what ``\\s``, ``.``, ``^`` (multiline)
and ``trim()`` accept, so those classes are spelled out here as ECMAScript defines them.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from plugin_studio.db.records import MigrationRow
from plugin_studio.models.migration_file import (
    MigrationFile, MigrationFormatError, RollbackPlan, normalise_newlines, parse_migration_file, rollback_plan,
)
from plugin_studio.models.migration_sql import ScriptError, split_statements

# ECMAScript WhiteSpace and LineTerminator (what \s matches and trim() removes).
_JS_WS = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_LINE_END = "\n\r\u2028\u2029"
_S = f"[{re.escape(_JS_WS)}]"
_NOT_S = f"[^{re.escape(_JS_WS)}]"
_DOT = f"[^{_JS_LINE_END}]"
_FLAGS = re.IGNORECASE | re.ASCII       # /i without /u folds ASCII letters only, as here
_PLUGIN_ID = re.compile(f"Plugin:{_DOT}*\\(([a-f0-9-]+)\\)", _FLAGS)
_VERSION = re.compile(f"Version:{_S}*({_NOT_S}+)", _FLAGS)
_DESCRIPTION = re.compile(f"Description:{_S}*({_DOT}+)", _FLAGS)
_PLUGIN_NAME = re.compile(r"Plugin:" + _S + r"*([^(]+)", _FLAGS)
_DOWN_SPLIT = re.compile(f"--{_S}*DOWN Migration", _FLAGS)
_UP_PREFIX = re.compile(f"\\A[\\s\\S]*?-- UP Migration{_S}*", _FLAGS)
_DOWN_UNCOMMENT = re.compile(f"(?:\\A|(?<=[{_JS_LINE_END}]))[\\s\\S]*?--{_S}*", _FLAGS)
_HEX32 = re.compile(r"^[0-9a-f]{32}$")


def js_trim(text: str) -> str:
    """``String.prototype.trim``."""
    return text.strip(_JS_WS)


@dataclass
class PlatformRecord:
    """What the tracker stores for a file (PLATFORM.md §6.2–6.3)."""

    plugin_id: str | None
    plugin_name: str
    version: str | None
    description: str
    up_sql: str
    down_sql: str
    checksum: str


def platform_checksum(text: str) -> str:
    """MD5 hex of the file text as the tracker computes it (the text as read, BOM and CRs included)."""
    return hashlib.md5(text.encode("utf-8", "surrogatepass")).hexdigest()


def platform_parse(text: str) -> PlatformRecord:
    """The tracker's ``parseMigrationFile`` on ``text`` (the file as read, nothing normalised)."""
    plugin_id, version = _PLUGIN_ID.search(text), _VERSION.search(text)
    description, plugin_name = _DESCRIPTION.search(text), _PLUGIN_NAME.search(text)
    parts = _DOWN_SPLIT.split(text)
    up_sql = js_trim(_UP_PREFIX.sub("", parts[0], count=1))
    down_sql = js_trim(_DOWN_UNCOMMENT.sub("", parts[1])) if len(parts) > 1 and parts[1] else ""
    return PlatformRecord(
        plugin_id=plugin_id.group(1) if plugin_id else None,
        plugin_name=js_trim(plugin_name.group(1)) if plugin_name else "Unknown",
        version=version.group(1) if version else None,
        description=js_trim(description.group(1)) if description else "",
        up_sql=up_sql, down_sql=down_sql, checksum=platform_checksum(text),
    )


def recorded_by_platform(row: MigrationRow) -> bool:
    """Whether the platform's tracker recorded this row: it names a row after its file (``….sql``) and
    stores the file's MD5 (PLATFORM.md §6.3, step 5); we never name a migration ``….sql``."""
    return (row.migration_name or "").lower().endswith(".sql") and bool(_HEX32.match(row.checksum or ""))


def matches_file(row: MigrationRow, text: str) -> bool:
    """Whether ``row`` holds what the tracker records for the file ``text`` (its MD5 and its UP SQL)."""
    record = platform_parse(text)
    return record.checksum == row.checksum and record.up_sql == (row.up_sql or "")


# ---- rolling back what the tracker recorded -------------------------------------------------

@dataclass
class PlatformRollback:
    plan: RollbackPlan
    source: str          # where the DOWN SQL came from, said to the user before it runs
    origin: str = ""     # "file" (lines of the file given), "up" or "down" (lines of that stored text)
    line: int = 1        # the line, in ``origin``, on which ``plan.sql`` starts


def platform_rollback(row: MigrationRow, file_text: str | None = None) -> PlatformRollback:
    """The DOWN SQL of a row the tracker recorded, re-parsed correctly.

    In order: the original file's DOWN section (when ``file_text`` is given and is that file); a DOWN
    section inside the stored UP text (the tracker's split missed a marker ours reads); the stored
    DOWN text with the tracker's damage undone, when what is left is SQL PostgreSQL's parser accepts.
    Otherwise ``plan.sql`` is None and ``plan.why_not`` says why.
    """
    if file_text is not None:
        if not matches_file(row, file_text):
            return PlatformRollback(RollbackPlan(None, False, "the file given is not the one the platform ran"
                                                 " (its MD5 or UP section differs from the record)"), "")
        migration = parse_migration_file(file_text)
        return PlatformRollback(rollback_plan(migration.down_sql), "the DOWN section of the original file",
                                "file", migration.down_line)
    inside = _down_inside_up(row.up_sql or "")
    if inside is not None:
        return PlatformRollback(rollback_plan(inside.down_sql), "the DOWN section found in the recorded UP text",
                                "up", inside.down_line - 2)
    plan, line = _repaired_down(row.down_sql or "")
    return PlatformRollback(plan, "the recorded DOWN SQL, with the decoration line the platform's parser left"
                            " in removed (PLATFORM.md §6.2)", "down", line)


def _down_inside_up(up_sql: str) -> MigrationFile | None:
    try:
        migration = parse_migration_file("-- Version: 0\n-- UP Migration\n" + up_sql)
    except MigrationFormatError:
        return None
    return migration if migration.down_sql is not None else None


def repaired_down_sql(down_sql: str) -> str | None:
    """The stored DOWN SQL without the ``=====`` lines the tracker's regex leaves, if the rest is SQL."""
    return _repaired_down(down_sql)[0].sql


def _repaired_down(down_sql: str) -> tuple[RollbackPlan, int]:
    lines = normalise_newlines(down_sql).split("\n")
    kept = [(number, line) for number, line in enumerate(lines, start=1) if not _residue(line)]
    while kept and not kept[0][1].strip():
        kept.pop(0)
    text = "\n".join(line for _, line in kept).rstrip()
    if not text:
        return RollbackPlan(None, False, "the platform recorded no DOWN SQL for it"), 1
    try:
        split_statements(text)
    except ScriptError as exc:
        return RollbackPlan(None, False, "the platform's parser mangled its DOWN section beyond repair"
                            f" ({exc.reason}); give the original file to re-read it (PLATFORM.md §6.2)"), 1
    return RollbackPlan(text, False), kept[0][0]


def _residue(line: str) -> bool:
    body = line.strip()
    return bool(body) and set(body) <= set("=-*#~_+")
