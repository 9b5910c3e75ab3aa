"""The platform's migration file format: read it, write it back, checksum it.

    -- ==============================================
    -- MIGRATION: Create cart views            (optional)
    -- Plugin: Cart Viewer (6f1c...-uuid)
    -- Version: 1.0.0
    -- Description: Table of cart views per session
    -- ==============================================

    -- UP Migration
    CREATE TABLE ...;

    -- DOWN Migration
    -- DROP TABLE ...;

A file may start with a UTF-8 byte order mark and use CRLF, LF or CR-only line endings; the
text is read with the mark dropped and every ending made LF, which keeps every line number and
column as an editor shows them. Markers and header lines are recognised only on lines that
PostgreSQL's lexer (pglast's scanner) sees as a ``--`` comment at top level, so ``-- DOWN
Migration`` inside a string or a function body stays SQL. Each section remembers the file line
it starts on, so the runner reports file positions. The platform's example files comment their
DOWN section out line by line; ``rollback_plan`` offers those statements uncommented.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pglast import parser

from plugin_studio.models.migration_sql import MigrationTextError, parses, statement_complete

DECORATION = "-- " + "=" * 53
BOM = "\ufeff"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEADER = re.compile(r"^(migration|plugin|version|description)\s*:\s*(.*)$", re.IGNORECASE)
_FILE_NAME = re.compile(r"^(?P<version>[0-9][0-9A-Za-z.\-]*)_(?P<name>.+?)(\.(up|down))?\.sql$", re.IGNORECASE)
_UNTERMINATED = {
    "unterminated quoted string": "a string literal", "unterminated dollar-quoted string": "a dollar-quoted body",
    "unterminated /* comment": "a /* comment */", "unterminated quoted identifier": "a quoted identifier",
    "unterminated bit string literal": "a bit string literal",
    "unterminated hexadecimal string literal": "a hexadecimal string literal",
}


class MigrationFormatError(MigrationTextError):
    """The text is not a migration file we can read; the message names the file line."""


@dataclass
class MigrationFile:
    version: str
    up_sql: str
    down_sql: str | None = None
    description: str | None = None
    title: str | None = None
    plugin_name: str | None = None
    plugin_id: str | None = None
    notes: list[str] = field(default_factory=list, compare=False)
    up_line: int = field(default=1, compare=False)      # file line of up_sql's first line
    down_line: int = field(default=1, compare=False)    # file line of down_sql's first line

    def migration_name(self, file_name: str | None = None) -> str:
        """The name recorded in ``plugin_migrations``: the title, else the file name, else the description.

        Never ends in ``.sql``: the platform's tracker records its file name there (PLATFORM.md §6.3),
        which is how a row it recorded is told from ours.
        """
        match = _FILE_NAME.match(_base_name(file_name or ""))
        if self.title:
            name = self.title
        elif match:
            name = match.group("name")
        else:
            name = self.description.splitlines()[0][:255] if self.description else f"migration_{self.version}"
        return re.sub(r"\.sql$", "", name, flags=re.IGNORECASE) or f"migration_{self.version}"


def normalise_newlines(text: str) -> str:
    """The text without a leading BOM, with CRLF and CR-only line endings made LF."""
    if text.startswith(BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_file(raw: bytes) -> str:
    """A migration file's bytes as text (BOM kept; ``normalise_newlines`` drops it). Raises MigrationFormatError."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise MigrationFormatError(f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})", line) from None


def checksum(text: str) -> str:
    """Our checksum of a migration's text: MD5 of it as LF text without a BOM (equal to the platform's
    MD5 for a plain LF file)."""
    return hashlib.md5(normalise_newlines(text).encode("utf-8")).hexdigest()


# ---- lines as the lexer sees them ----------------------------------------------------------

@dataclass
class Line:
    number: int              # 1-based file line
    text: str                # without its newline
    is_blank: bool
    is_comment: bool         # only a ``--`` comment, at top level


def scan_lines(text: str) -> list[Line]:
    """The text's lines, each knowing whether it is a top-level ``--`` comment (by pglast's scanner)."""
    try:
        tokens = parser.scan(text)
    except parser.ParseError as exc:
        raise _unterminated(text, exc) from None
    comment_starts = {t.start for t in tokens if t.name == "SQL_COMMENT"}
    lines, offset = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.lstrip()
        first = offset + len(raw) - len(stripped)
        lines.append(Line(number, raw, not stripped, bool(stripped) and first in comment_starts))
        offset += len(raw) + 1
    return lines


def _unterminated(text: str, exc: parser.ParseError) -> MigrationFormatError:
    message, location = exc.args[0], exc.args[1] if len(exc.args) > 1 else 0
    line = text.count("\n", 0, location) + 1
    for prefix, what in _UNTERMINATED.items():
        if message.startswith(prefix):
            return MigrationFormatError(f"{what} opened here is never closed", line)
    return MigrationFormatError(message, line)


def _comment_body(line: Line) -> str:
    return line.text.strip()[2:].strip()


def _is_decoration(line: Line) -> bool:
    body = _comment_body(line)
    return line.is_comment and (not body or set(body) <= set("=-*#~_+"))


def _marker(line: Line) -> str | None:
    if not line.is_comment:
        return None
    body = _comment_body(line).lower()
    for kind in ("up", "down"):
        if re.match(rf"^{kind}\s+migration\b", body):
            return kind
    return None


# ---- parsing -------------------------------------------------------------------------------

def parse_migration_file(text: str, file_name: str | None = None) -> MigrationFile:
    """Read a migration file; ``file_name`` (``001_create_x.sql``) supplies a missing version or name."""
    lines = scan_lines(normalise_newlines(text))
    up_at, down_at = _find_markers(lines)
    notes: list[str] = []
    header_end = up_at if up_at is not None else _header_length(lines)
    fields_ = _read_header(lines[:header_end], notes)
    if up_at is None:
        notes.append("no '-- UP Migration' line: everything after the header is the UP section")
        up_lines, down_lines = lines[header_end:], []
    elif down_at is None:
        up_lines, down_lines = lines[up_at + 1:], []
    else:
        up_lines, down_lines = lines[up_at + 1:down_at], lines[down_at + 1:]
    version = fields_.get("version") or _version_from_file_name(file_name)
    if not version:
        raise MigrationFormatError("the file has no '-- Version: ...' line (and its name does not start with one)")
    plugin_name, plugin_id = _split_plugin(fields_.get("plugin"))
    (up_sql, up_line), (down_sql, down_line) = _section(up_lines), _section(down_lines)
    return MigrationFile(
        version=version, up_sql=up_sql, down_sql=down_sql or None,
        description=fields_.get("description") or None, title=fields_.get("migration") or None,
        plugin_name=plugin_name, plugin_id=plugin_id, notes=notes, up_line=up_line, down_line=down_line,
    )


def _find_markers(lines: list[Line]) -> tuple[int | None, int | None]:
    found: dict[str, int] = {}
    for index, line in enumerate(lines):
        kind = _marker(line)
        if kind is None:
            continue
        if kind in found:
            raise MigrationFormatError(f"a second '-- {kind.upper()} Migration' line (the first is line"
                                       f" {lines[found[kind]].number})", line.number)
        found[kind] = index
    up, down = found.get("up"), found.get("down")
    if down is not None and (up is None or down < up):
        raise MigrationFormatError("'-- DOWN Migration' comes before '-- UP Migration'", lines[down].number)
    return up, down


def _header_length(lines: list[Line]) -> int:
    """Without markers, the header is the leading run of comment and blank lines."""
    for index, line in enumerate(lines):
        if not (line.is_comment or line.is_blank):
            return index
    return len(lines)


def _read_header(lines: list[Line], notes: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    last_key = None
    for line in lines:
        if line.is_blank or _is_decoration(line):
            last_key = None if line.is_blank else last_key
            continue
        if not line.is_comment:
            raise MigrationFormatError("SQL before '-- UP Migration'", line.number)
        match = _HEADER.match(_comment_body(line))
        if match:
            last_key = match.group(1).lower()
            values[last_key] = match.group(2).strip()
        elif last_key == "description":
            values["description"] += "\n" + _comment_body(line)
        else:
            notes.append(f"line {line.number}: header line not kept in the database: {line.text.strip()}")
    return values


def _split_plugin(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", value)
    if match and _UUID.match(match.group(2).strip()):
        return match.group(1).strip() or None, match.group(2).strip().lower()
    if _UUID.match(value):
        return None, value.lower()
    return value, None


def _version_from_file_name(file_name: str | None) -> str | None:
    match = _FILE_NAME.match(_base_name(file_name or ""))
    return match.group("version") if match else None


def _base_name(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def _section(lines: list[Line]) -> tuple[str, int]:
    """A section's text without the blank and decoration lines around it (the inside verbatim), and
    the file line it starts on."""
    start, end = 0, len(lines)
    while start < end and (lines[start].is_blank or _is_decoration(lines[start])):
        start += 1
    while end > start and (lines[end - 1].is_blank or _is_decoration(lines[end - 1])):
        end -= 1
    first_line = lines[start].number if start < len(lines) else 1
    return "\n".join(line.text for line in lines[start:end]), first_line


# ---- writing -------------------------------------------------------------------------------

def write_migration_file(migration: MigrationFile) -> str:
    """The file text; ``parse_migration_file(write_migration_file(m)) == m``."""
    lines = [DECORATION]
    if migration.title:
        lines.append(f"-- MIGRATION: {migration.title}")
    if migration.plugin_name or migration.plugin_id:
        plugin = migration.plugin_name or ""
        if migration.plugin_id:
            plugin = f"{plugin} ({migration.plugin_id})".strip()
        lines.append(f"-- Plugin: {plugin}")
    lines.append(f"-- Version: {migration.version}")
    if migration.description:
        first, *more = migration.description.splitlines() or [""]
        lines.append(f"-- Description: {first}")
        lines.extend(f"-- {extra}".rstrip() for extra in more)
    lines += [DECORATION, "", "-- UP Migration"]
    if migration.up_sql.strip():
        lines.append(_trim(migration.up_sql))
    lines += ["", "-- DOWN Migration"]
    if migration.down_sql and migration.down_sql.strip():
        lines.append(_trim(migration.down_sql))
    return "\n".join(lines) + "\n"


def _trim(sql: str) -> str:
    """The same trimming the parser applies, so writing then parsing gives the text back."""
    text = normalise_newlines(sql)
    try:
        return _section(scan_lines(text))[0]
    except MigrationFormatError:
        return text.strip("\n")     # unterminated text is shown as it is; saving it is refused


# ---- the rollback script -------------------------------------------------------------------

@dataclass
class RollbackPlan:
    sql: str | None              # what a rollback runs; None when there is nothing to run
    commented_out: bool          # the DOWN section was commented out line by line
    why_not: str | None = None   # when sql is None: why (shown to the user)


def rollback_plan(down_sql: str | None) -> RollbackPlan:
    """The script a rollback runs: the DOWN section, uncommented when it was commented out."""
    if not down_sql or not down_sql.strip():
        return RollbackPlan(None, False, "it has no DOWN SQL")
    text = normalise_newlines(down_sql)
    if _has_statements(text):
        return RollbackPlan(text, False)
    uncommented = uncomment_statements(text)
    if uncommented is None:
        return RollbackPlan(None, False, "its DOWN section holds only comments, none of them SQL")
    return RollbackPlan(uncommented, True)


def _has_statements(text: str) -> bool:
    try:
        return parses(text) or not _only_comments(text)
    except parser.ParseError:
        return True         # not comments only: let the runner report the syntax error at its line


def _only_comments(text: str) -> bool:
    return all(t.name in ("SQL_COMMENT", "C_COMMENT") for t in parser.scan(text))


def uncomment_statements(text: str) -> str | None:
    """Uncomment the commented lines that form SQL statements PostgreSQL's parser accepts; prose lines
    stay comments. Exactly the leading ``--`` and one space are removed. None if no line is SQL."""
    lines = text.split("\n")
    bodies = [_commented_body(line) for line in lines]
    out, index, found = [], 0, False
    while index < len(lines):
        end = _statement_end(bodies, index)
        if end is None:
            out.append(lines[index])
            index += 1
            continue
        out.extend(bodies[index:end])
        index, found = end, True
    return "\n".join(out) if found else None


def _commented_body(line: str) -> str | None:
    stripped = line.lstrip()
    if not stripped.startswith("--"):
        return None
    body = stripped[2:]
    return body[1:] if body.startswith(" ") else body


# A commented statement longer than this many lines is not looked for (keeps uncommenting linear).
_MAX_STATEMENT_LINES = 200


def _statement_end(bodies: list[str | None], start: int) -> int | None:
    """The end (exclusive) of the shortest run of commented lines from ``start`` that is a statement."""
    for end in range(start + 1, min(len(bodies), start + _MAX_STATEMENT_LINES) + 1):
        if bodies[end - 1] is None:
            return None
        candidate = "\n".join(bodies[start:end])
        if statement_complete(candidate):
            return end
    tail = bodies[start:]
    if all(b is not None for b in tail) and len(tail) <= _MAX_STATEMENT_LINES and parses("\n".join(tail)) \
            and len(" ".join(tail).split()) > 1:
        return len(bodies)      # the last statement may lack its ';'
    return None
