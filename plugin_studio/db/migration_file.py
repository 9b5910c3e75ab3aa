"""The platform's migration file format: parse it, write it back, checksum it.

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

Markers and header lines are only recognised where the SQL scanner says a line is a plain
top-level comment, so ``-- DOWN Migration`` inside a function body stays SQL. The platform's
example files comment their DOWN section out line by line; ``rollback_plan`` recognises that and
offers the statements uncommented (removing exactly the leading ``--`` and one space), keeping
prose comments as comments. It lives in db/ because saving an edited file parses it here.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from plugin_studio.db.errors import ValidationError
from plugin_studio.db.records import MigrationRow
from plugin_studio.db.migration_sql import CODE, Line, scan_lines, split_statements, statement_open

DECORATION = "-- " + "=" * 53
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEADER = re.compile(r"^(migration|plugin|version|description)\s*:\s*(.*)$", re.IGNORECASE)
_FILE_NAME = re.compile(r"^(?P<version>[0-9][0-9A-Za-z.\-]*)_(?P<name>.+?)(\.(up|down))?\.sql$")


class MigrationFormatError(ValidationError):
    """The text is not a migration file we can read; the message names the line."""


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

    def migration_name(self, file_name: str | None = None) -> str:
        """The name recorded in ``plugin_migrations``: the title, else the file name, else the description."""
        if self.title:
            return self.title
        match = _FILE_NAME.match(_base_name(file_name or ""))
        if match:
            return match.group("name")
        return self.description.splitlines()[0][:255] if self.description else f"migration_{self.version}"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n")


def checksum(text: str) -> str:
    """MD5 of the file text with CRLF turned into LF: the platform's value for LF files."""
    return hashlib.md5(normalise_newlines(text).encode("utf-8")).hexdigest()


# ---- parsing -------------------------------------------------------------------------------

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


def parse_migration_file(text: str, file_name: str | None = None) -> MigrationFile:
    """Read a migration file; ``file_name`` (``001_create_x.sql``) supplies a missing version or name."""
    text = normalise_newlines(text)
    _check_terminated(text)
    lines = scan_lines(text)
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
    return MigrationFile(
        version=version, up_sql=_section(up_lines), down_sql=_section(down_lines) or None,
        description=fields_.get("description") or None, title=fields_.get("migration") or None,
        plugin_name=plugin_name, plugin_id=plugin_id, notes=notes,
    )


def _check_terminated(text: str) -> None:
    lines = scan_lines(text + "\n")     # the extra line starts in the state the text ends in
    mode = lines[-1].starts_in
    if mode == CODE:
        return
    run_start = len(lines) - 1
    while run_start > 0 and lines[run_start - 1].starts_in == mode:
        run_start -= 1
    opener = lines[max(run_start - 1, 0)]
    what = {"quote": "a string literal", "ident": "a quoted identifier", "dollar": "a dollar-quoted body",
            "block": "a /* comment */"}[mode]
    raise MigrationFormatError(f"line {opener.number}: {what} opened here is never closed")


def _find_markers(lines: list[Line]) -> tuple[int | None, int | None]:
    found: dict[str, int] = {}
    for index, line in enumerate(lines):
        kind = _marker(line)
        if kind is None:
            continue
        if kind in found:
            raise MigrationFormatError(
                f"line {line.number}: a second '-- {kind.upper()} Migration' line "
                f"(the first is line {lines[found[kind]].number})")
        found[kind] = index
    up, down = found.get("up"), found.get("down")
    if down is not None and (up is None or down < up):
        raise MigrationFormatError(f"line {lines[down].number}: '-- DOWN Migration' comes before '-- UP Migration'")
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
            raise MigrationFormatError(f"line {line.number}: SQL before '-- UP Migration'")
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


def _section(lines: list[Line]) -> str:
    """A section's text, without the blank and decoration lines around it; the inside is kept verbatim."""
    start, end = 0, len(lines)
    while start < end and (lines[start].is_blank or _is_decoration(lines[start])):
        start += 1
    while end > start and (lines[end - 1].is_blank or _is_decoration(lines[end - 1])):
        end -= 1
    return "\n".join(line.text for line in lines[start:end])


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
    return _section(scan_lines(normalise_newlines(sql)))


# ---- the rollback script -------------------------------------------------------------------

@dataclass
class RollbackPlan:
    sql: str | None              # what a rollback runs; None when there is nothing to run
    commented_out: bool          # the DOWN section was commented out line by line


# Two-word starts that make a commented line read as SQL rather than prose ("-- Drop the table" is prose).
_SQL_STARTS = {
    "DROP": {"TABLE", "INDEX", "VIEW", "MATERIALIZED", "FUNCTION", "PROCEDURE", "TRIGGER", "TYPE", "SEQUENCE",
             "SCHEMA", "EXTENSION", "POLICY", "RULE", "DOMAIN", "AGGREGATE", "OWNED", "COLUMN"},
    "ALTER": {"TABLE", "INDEX", "VIEW", "MATERIALIZED", "FUNCTION", "TYPE", "SEQUENCE", "SCHEMA", "DOMAIN"},
    "CREATE": {"TABLE", "INDEX", "UNIQUE", "OR", "VIEW", "MATERIALIZED", "FUNCTION", "PROCEDURE", "TRIGGER",
               "TYPE", "SEQUENCE", "SCHEMA", "EXTENSION", "POLICY", "DOMAIN", "TEMP", "TEMPORARY"},
    "DELETE": {"FROM"}, "INSERT": {"INTO"}, "COMMENT": {"ON"}, "TRUNCATE": None, "UPDATE": None,
    "GRANT": None, "REVOKE": None, "DO": None, "SELECT": None, "REINDEX": None, "WITH": None,
}


def rollback_plan(down_sql: str | None) -> RollbackPlan:
    """The script a rollback runs: the DOWN section, uncommented when it was commented out."""
    if not down_sql or not down_sql.strip():
        return RollbackPlan(None, False)
    if split_statements(down_sql):
        return RollbackPlan(down_sql, False)
    uncommented = _uncomment_statements(down_sql)
    if uncommented is None:
        return RollbackPlan(None, False)
    return RollbackPlan(uncommented, True)


def _uncomment_statements(text: str) -> str | None:
    """Uncomment the lines that form SQL statements; prose lines stay comments. None if none is SQL."""
    out: list[str] = []
    open_statement: list[str] = []
    found = False
    for line in text.split("\n"):
        stripped = line.lstrip()
        body = stripped[2:] if stripped.startswith("--") else None
        body = body[1:] if body is not None and body.startswith(" ") else body
        if body is not None and (open_statement or _reads_as_sql(body)):
            open_statement.append(body)
            if _statement_closed("\n".join(open_statement)):
                out.extend(open_statement)
                open_statement, found = [], True
            continue
        out.append(line)
    if open_statement:      # the last statement may lack its ';'
        out.extend(open_statement)
        found = True
    return "\n".join(out) if found else None


def _reads_as_sql(body: str) -> bool:
    words = re.findall(r"[A-Za-z_]+|\$", body.upper())
    if not words or words[0] not in _SQL_STARTS:
        return False
    second = _SQL_STARTS[words[0]]
    return second is None or (len(words) > 1 and words[1] in second)


def _statement_closed(sql: str) -> bool:
    return not statement_open(sql)


# ---- rows ----------------------------------------------------------------------------------

def migration_from_row(row: MigrationRow) -> MigrationFile:
    return MigrationFile(
        version=row.migration_version, up_sql=row.up_sql or "", down_sql=row.down_sql,
        description=row.migration_description, title=row.migration_name,
        plugin_name=row.plugin_name, plugin_id=row.plugin_id,
    )


def row_text(row: MigrationRow) -> str:
    """A recorded migration as a file in the platform format (what the editor shows)."""
    return write_migration_file(migration_from_row(row))


def row_checksum(row: MigrationRow) -> str:
    """The checksum of the migration's current text; recorded when it runs, compared by validate."""
    return checksum(row_text(row))
