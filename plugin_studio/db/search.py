"""Search and replace across the code of every plugin, done by PostgreSQL on the server.

The code columns of the ``plugin_*`` tables (``CODE_SOURCES``, those the database has) are
searched line by line in one statement: plain text (``strpos``, or a literal ``~*``), whole words (word
boundaries ``\\m``/``\\M``), or a regular expression in PostgreSQL's own dialect (``~``/``~*``,
https://www.postgresql.org/docs/current/functions-matching.html#POSIX-SYNTAX-DETAILS), matching
within one line as an editor's search does. The server marks each match in the line it returns
(``regexp_replace`` with ``\\&``), so match positions are the server's, not a re-match of ours.

A replacement is computed by the server too (``regexp_replace`` over the whole text, newline-
sensitive so ``^``/``$``/``.`` mean what they meant in the search) and applied in one transaction
where each row must still hold the text the preview was made from: a row changed meanwhile is a
conflict and nothing is written (``ReplaceConflict``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import psycopg
from psycopg import sql

from plugin_studio.db.errors import StudioDbError, ValidationError
from plugin_studio.db.files import TREE_ORDER
from plugin_studio.db.migrations import EDITABLE_STATUSES
from plugin_studio.db.rows import run

# Private-use characters the server puts around each match (code holding them shows U+FFFD there).
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_CHARS = 400      # of a long line (minified code) only this much is sent, around its first match
SNIPPET_LEAD = 80        # characters kept before the first match in such a snippet
MAX_LINE_HITS = 2000     # matching lines returned by one search; more are reported as truncated
WORD_CHAR = "[:alnum:]_"


@dataclass(frozen=True)
class CodeSource:
    """A column of code: its table, the column, and the columns that name the row's file."""
    table: str
    column: str
    names: tuple[str, ...]


# Tables the IDE shows as files, then the platform's other code tables (PLATFORM.md §1.9).
# plugin_dependencies.bundled_code is third-party code and is not searched, as an editor leaves
# node_modules out. Files the IDE renders from rows (entities' JSON, manifest.json) are searched
# as the editor shows them: ``search_rendered`` (``services.rendered_files``).
CODE_SOURCES = (
    CodeSource("plugin_scripts", "file_content", ("file_name",)),
    CodeSource("plugin_events", "listener_function", ("event_name", "file_name")),
    CodeSource("plugin_hooks", "handler_function", ("hook_name",)),
    CodeSource("plugin_widgets", "component_code", ("widget_id",)),
    CodeSource("plugin_migrations", "up_sql", ("migration_version", "migration_name")),
    CodeSource("plugin_migrations", "down_sql", ("migration_version", "migration_name")),
    CodeSource("plugin_controllers", "handler_code", ("controller_name",)),
    CodeSource("plugin_cron", "handler_code", ("cron_name",)),
    CodeSource("plugin_admin_pages", "component_code", ("page_key",)),
    CodeSource("plugin_admin_scripts", "script_code", ("script_name",)),
    CodeSource("plugin_docs", "content", ("doc_type", "file_name")),
)


@dataclass(frozen=True)
class SearchQuery:
    """What to look for: ``text`` as plain text or (``regex``) a PostgreSQL regular expression;
    ``plugin_id`` None searches every plugin."""
    text: str
    regex: bool = False
    case_sensitive: bool = False
    whole_word: bool = False
    plugin_id: str | None = None


@dataclass(frozen=True)
class LineHit:
    """A line of a row's code with at least one match.

    ``line`` is 1-based within the column's text; ``text`` is the line (or, for a long line, the
    part of it from character ``offset`` on); ``spans`` are the matches in ``text`` as (start, end)
    character offsets, end exclusive.
    """
    table: str
    column: str
    row_id: str
    plugin_id: str
    line: int
    text: str
    offset: int
    spans: tuple[tuple[int, int], ...]


class RowNames(NamedTuple):
    """The columns that name a row's file (``CodeSource.names``), for the path the tree shows.
    A tuple: a search over thousands of rows makes one per row."""
    table: str
    row_id: str
    plugin_id: str
    names: tuple[str | None, ...]


@dataclass(frozen=True)
class RowChange:
    """A replacement in one row's column: the text the preview was made from and the new text.
    ``refused`` says why it cannot be applied (a migration that ran); None when it can."""
    table: str
    column: str
    row_id: str
    plugin_id: str
    old_text: str
    new_text: str
    refused: str | None = None


class ReplaceConflict(StudioDbError):
    """Rows changed (or went) since the preview; nothing was replaced. ``changes``: those rows."""

    def __init__(self, changes: list[RowChange]):
        names = ", ".join(f"{c.table} row {c.row_id}" for c in changes[:3]) + ("…" if len(changes) > 3 else "")
        super().__init__(f"{len(changes)} file(s) changed since the preview ({names}); nothing was replaced")
        self.changes = changes


# ---- patterns -------------------------------------------------------------------------------------

def server_pattern(query: SearchQuery) -> str:
    """The query as a PostgreSQL ARE, newline-sensitive (``^``, ``$``, ``.`` stop at line ends).

    Whole words follow VS Code's rule: a match may not begin right after a word character unless its
    own first character is not one, and likewise at its end. ``ValidationError`` for an empty query.
    """
    if not query.text:
        raise ValidationError("type something to search for")
    if not query.regex:
        return _plain_whole_word(query.text) if query.whole_word else "***=" + query.text
    options, body = _embedded_options(query.text)
    if query.whole_word:
        body = (f"(?:(?<![{WORD_CHAR}])|(?=[^{WORD_CHAR}]))(?:{body})"
                f"(?:(?![{WORD_CHAR}])|(?<=[^{WORD_CHAR}]))")
    return f"(?n{options})" + body


def _plain_whole_word(text: str) -> str:
    body = re.sub(r"([^\w\s])", r"\\\1", text)
    start = r"\m" if _is_word_char(text[0]) else ""
    end = r"\M" if _is_word_char(text[-1]) else ""
    return start + body + end


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _embedded_options(text: str) -> tuple[str, str]:
    """A user's leading ``(?i)``-style options join ours (an ARE allows them only at its start)."""
    match = re.match(r"\(\?([bceimnpqstwx]+)\)", text)
    return (match.group(1), text[match.end():]) if match else ("", text)


def server_replacement(query: SearchQuery, replacement: str) -> str:
    """The replacement for ``regexp_replace``: literal for plain text; in regex mode JavaScript's
    ``$1``…``$9``, ``$&`` and ``$$`` (as String.prototype.replace and VS Code take them)."""
    escaped = replacement.replace("\\", "\\\\")
    if not query.regex:
        return escaped
    return re.sub(r"\$(\$|&|[1-9])", lambda m: {"$": "$", "&": r"\&"}.get(m.group(1), "\\" + m.group(1)), escaped)


def _params(query: SearchQuery) -> dict:
    flags = "" if query.case_sensitive else "i"
    return {"pattern": server_pattern(query), "text": query.text, "literal": "***=" + query.text, "flags": flags,
            "marks": MARK_START + r"\&" + MARK_END, "start": MARK_START, "end": MARK_END, "plugin": query.plugin_id}


def _match(query: SearchQuery, expression: sql.Composable, row_level: bool) -> sql.Composable:
    """``expression`` matches the query, by the fastest test the server has for it: ``strpos`` for
    plain text where case cannot differ (several times faster than ``LIKE``, let alone ``ILIKE``),
    a literal ARE (``***=``) where it can, the pattern otherwise."""
    caseless = query.case_sensitive or query.text.lower() == query.text.upper()
    contains = sql.SQL("strpos({}, %(text)s) > 0").format(expression)
    if not query.regex and not query.whole_word:
        return contains if caseless else sql.SQL("{} ~* %(literal)s").format(expression)
    condition = sql.SQL("{} {} %(pattern)s").format(expression, sql.SQL("~" if query.case_sensitive else "~*"))
    if row_level and caseless and not query.regex:
        condition = sql.SQL("{} AND {}").format(contains, condition)
    return condition


# ---- which tables the database has ----------------------------------------------------------------

@dataclass(frozen=True)
class _Present:
    source: CodeSource
    id_type: str            # as format_type names it: uuid, integer, character varying(255)...
    plugin_id_type: str
    has_updated_at: bool


def present_sources(conn: psycopg.Connection) -> list[_Present]:
    """The ``CODE_SOURCES`` this database has and this role may read (one catalog query)."""
    tables = sorted({s.table for s in CODE_SOURCES})
    rows = run(conn, """
        SELECT t.name, a.attname, format_type(a.atttypid, a.atttypmod)
        FROM unnest(%s::text[]) AS t(name)
        JOIN pg_attribute a ON a.attrelid = to_regclass(t.name) AND a.attnum > 0 AND NOT a.attisdropped
        WHERE has_table_privilege(to_regclass(t.name), 'SELECT')""", (tables,)).fetchall()
    columns: dict[str, dict[str, str]] = {}
    for table, column, type_name in rows:
        columns.setdefault(table, {})[column] = type_name
    return [_Present(s, columns[s.table]["id"], columns[s.table]["plugin_id"], "updated_at" in columns[s.table])
            for s in CODE_SOURCES
            if {s.column, "id", "plugin_id", *s.names} <= set(columns.get(s.table, {}))]


def _plugin_filter(present: _Present) -> sql.Composable:
    cast = "::uuid" if present.plugin_id_type == "uuid" else ""
    return sql.SQL(" AND t.plugin_id = %(plugin)s" + cast)


# ---- search ---------------------------------------------------------------------------------------

def search_lines(conn: psycopg.Connection, query: SearchQuery, limit: int = MAX_LINE_HITS) -> tuple[list[LineHit], bool]:
    """Every line matching ``query`` (at most ``limit``), and whether there were more.

    A match that runs over several lines (a regex with ``\\n``) is listed on its first line.
    Errors: ``ValidationError`` for an empty query; ``SqlError`` (sqlstate 2201B) for a regular
    expression the server cannot read, its message naming the problem.
    """
    present = present_sources(conn)
    if not present:
        return [], False
    params = {**_params(query), "limit": limit + 1, "snippet": SNIPPET_CHARS, "lead": SNIPPET_LEAD,
              "no_marks": "\ufffd\ufffd"}
    split = "string_to_table" if conn.info.server_version >= 140000 else "regexp_split_to_table"
    branches = [_search_branch(i, p, query, split) for i, p in enumerate(present)]
    statement = sql.SQL(" UNION ALL ").join(branches) + sql.SQL(" LIMIT %(limit)s")
    rows = run(conn, statement, params).fetchall()
    hits = [_line_hit(present[source].source, row_id, plugin_id, line, skipped, marked)
            for source, row_id, plugin_id, line, skipped, marked in rows[:limit]]
    return hits, len(rows) > limit


def _search_branch(index: int, present: _Present, query: SearchQuery, split: str) -> sql.Composable:
    """One table's matching lines (``_marked_lines``)."""
    code = sql.SQL("t.{}").format(sql.Identifier(present.source.column))
    where = _match(query, code, True)
    if query.plugin_id is not None:
        where = where + _plugin_filter(present)
    rows = sql.SQL("{} t").format(sql.Identifier(present.source.table))
    return _marked_lines(sql.SQL("{}, t.id::text, t.plugin_id::text").format(sql.Literal(index)), rows, code, where, split)


def _marked_lines(columns: sql.Composable, rows: sql.Composable, code: sql.Composable, where: sql.Composable,
                  split: str) -> sql.Composable:
    """``columns`` and each matching line of ``code`` in ``rows``: the line number, how much of a long
    line was skipped, the (rest of the) line with its matches marked. The whole text of a matching
    row is marked in one regex pass, then split into lines, of which those holding a mark are kept:
    one regex call per line costs several times more than the matching itself. Mark characters
    already in the code are shown as U+FFFD (one character for one, so columns stay right)."""
    return sql.SQL("""
        (SELECT {columns}, l.n::int, s.skipped, substr(l.line, s.skipped + 1, %(snippet)s)
         FROM {rows}
         CROSS JOIN LATERAL (SELECT regexp_replace(translate({code}, %(start)s || %(end)s, %(no_marks)s),
                                                   %(pattern)s, %(marks)s, 'g' || %(flags)s) AS marked) m
         CROSS JOIN LATERAL {split}(m.marked, E'\n') WITH ORDINALITY AS l(line, n)
         CROSS JOIN LATERAL (SELECT CASE WHEN length(l.line) <= %(snippet)s THEN 0
                                    ELSE greatest(strpos(l.line, %(start)s) - %(lead)s, 1) - 1 END AS skipped) s
         WHERE {where} AND strpos(l.line, %(start)s) > 0)""").format(
        columns=columns, rows=rows, code=code, split=sql.SQL(split), where=where)


@dataclass(frozen=True)
class RenderedText:
    """A file whose text the IDE renders from a row (an entity's JSON, manifest.json), to be searched as
    the editor shows it: ``table``/``row_id``/``plugin_id`` of its row, ``column`` naming the text."""
    table: str
    column: str
    row_id: str
    plugin_id: str
    text: str


def search_rendered(conn: psycopg.Connection, query: SearchQuery, texts: list[RenderedText],
                    limit: int = MAX_LINE_HITS) -> tuple[list[LineHit], bool]:
    """As ``search_lines``, in texts the IDE rendered (sent to the server, matched there by the same
    pattern, so a match and its position are the same as in a column of code)."""
    if not texts:
        return [], False
    params = {**_params(query), "limit": limit + 1, "snippet": SNIPPET_CHARS, "lead": SNIPPET_LEAD,
              "no_marks": "\ufffd\ufffd", "texts": [t.text for t in texts]}
    split = "string_to_table" if conn.info.server_version >= 140000 else "regexp_split_to_table"
    code = sql.SQL("d.body")
    rows = sql.SQL("unnest(%(texts)s::text[]) WITH ORDINALITY AS d(body, i)")
    statement = _marked_lines(sql.SQL("d.i::int"), rows, code, _match(query, code, True), split) + \
        sql.SQL(" ORDER BY 1, 2 LIMIT %(limit)s")
    found = run(conn, statement, params).fetchall()
    hits = []
    for i, line, skipped, marked in found[:limit]:
        t = texts[i - 1]
        text, spans = unmark(marked)
        hits.append(LineHit(t.table, t.column, t.row_id, t.plugin_id, line, text.rstrip("\r"), skipped, spans))
    return hits, len(found) > limit


def _line_hit(source: CodeSource, row_id: str, plugin_id: str, line: int, skipped: int, marked: str) -> LineHit:
    text, spans = unmark(marked)
    return LineHit(source.table, source.column, row_id, plugin_id, line, text.rstrip("\r"), skipped, spans)


def unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The line without the server's marks, and the marked spans (empty matches dropped). A snippet
    cut inside a match closes it at its end."""
    first, *pieces = marked.split(MARK_START)
    text, spans, position = [first], [], len(first)
    for piece in pieces:
        match, _mark, rest = piece.partition(MARK_END)
        if match:
            spans.append((position, position + len(match)))
        text += (match, rest)
        position += len(match) + len(rest)
    return "".join(text), tuple(spans)


# ---- names for paths ------------------------------------------------------------------------------

def row_names(conn: psycopg.Connection, plugin_ids: list[str]) -> list[RowNames]:
    """The naming columns of every code row of these plugins (one query), per table in the order the
    FileTree takes them (``files.TREE_ORDER``), so paths are told apart as the tree tells them apart."""
    tables: dict[str, CodeSource] = {}
    for present in present_sources(conn):
        tables.setdefault(present.source.table, present.source)
    sources = list(tables.values())
    if not sources:
        return []
    branches = [_names_branch(i, source) for i, source in enumerate(sources)]
    statement = sql.SQL(" UNION ALL ").join(branches) + sql.SQL(" ORDER BY 1, 2")
    rows = run(conn, statement, {"plugins": plugin_ids}).fetchall()
    return [RowNames(sources[i].table, row_id, plugin_id, (first, second)[:len(sources[i].names)])
            for i, _rank, row_id, plugin_id, first, second in rows]


def _names_branch(index: int, source: CodeSource) -> sql.Composable:
    names = [sql.SQL("{}::text").format(sql.Identifier(n)) for n in source.names] + [sql.SQL("NULL::text")]
    # A join, not ``= ANY(array)``: the server hashes the plugins instead of comparing each row with each.
    return sql.SQL("SELECT {index}, row_number() OVER (ORDER BY {order}), id::text, plugin_id::text, {names} "
                   "FROM {table} JOIN unnest(%(plugins)s::text[]) AS p(wanted) ON plugin_id::text = p.wanted").format(
        index=sql.Literal(index), order=sql.SQL(TREE_ORDER.get(source.table, "created_at, id")),
        names=sql.SQL(", ").join(names[:2]), table=sql.Identifier(source.table))


def plugin_names(conn: psycopg.Connection, plugin_ids: list[str]) -> dict[str, str]:
    rows = run(conn, "SELECT id::text, name FROM plugin_registry WHERE id::text = ANY(%s)", (plugin_ids,)).fetchall()
    return dict(rows)


# ---- replace --------------------------------------------------------------------------------------

def preview_replace(conn: psycopg.Connection, query: SearchQuery, replacement: str) -> list[RowChange]:
    """Each row whose code ``query`` matches, with its text now and after the replacement.

    Rows the replacement would not change are left out; migrations that ran carry ``refused``.
    """
    present = present_sources(conn)
    params = {**_params(query), "replacement": server_replacement(query, replacement)}
    changes = []
    for p in present:
        for row_id, plugin_id, old, new, status in run(conn, _preview_statement(p, query), params):
            if old != new:
                changes.append(RowChange(p.source.table, p.source.column, row_id, plugin_id, old, new,
                                         _refusal(p.source.table, status)))
    return changes


def preview_rendered(conn: psycopg.Connection, query: SearchQuery, replacement: str,
                     texts: list[RenderedText]) -> list[RowChange]:
    """As ``preview_replace``, for texts the IDE rendered (``search_rendered``): each one the
    replacement changes, with its text now and after (computed by the server, as for code)."""
    if not texts:
        return []
    params = {**_params(query), "replacement": server_replacement(query, replacement), "texts": [t.text for t in texts]}
    code = sql.SQL("d.body")
    statement = sql.SQL("SELECT d.i::int, d.body, regexp_replace(d.body, %(pattern)s, %(replacement)s, 'g' || %(flags)s)"
                        " FROM unnest(%(texts)s::text[]) WITH ORDINALITY AS d(body, i) WHERE {} ORDER BY 1").format(
        _match(query, code, True))
    changes = []
    for i, old, new in run(conn, statement, params):
        t = texts[i - 1]
        if old != new:
            changes.append(RowChange(t.table, t.column, t.row_id, t.plugin_id, old, new))
    return changes


def _preview_statement(present: _Present, query: SearchQuery) -> sql.Composable:
    code = sql.SQL("t.{}").format(sql.Identifier(present.source.column))
    status = sql.SQL("t.status" if present.source.table == "plugin_migrations" else "NULL::text")
    where = _match(query, code, True) + (_plugin_filter(present) if query.plugin_id is not None else sql.SQL(""))
    return sql.SQL("SELECT t.id::text, t.plugin_id::text, {code}, regexp_replace({code}, %(pattern)s, "
                   "%(replacement)s, 'g' || %(flags)s), {status} FROM {table} t WHERE {where} ORDER BY t.id").format(
        code=code, status=status, table=sql.Identifier(present.source.table), where=where)


def _refusal(table: str, status: str | None) -> str | None:
    if table == "plugin_migrations" and status not in EDITABLE_STATUSES:
        return f"the migration is {status}: roll it back before changing its SQL"
    return None


def apply_replace(conn: psycopg.Connection, changes: list[RowChange]) -> int:
    """Write every change in one transaction; returns how many rows were written.

    Each row must still hold ``old_text`` (and a migration must still be editable); otherwise
    ``ReplaceConflict`` names those rows and nothing is written. Changes with ``refused`` set are
    refused with ``ValidationError`` before anything is written.
    """
    refused = [c for c in changes if c.refused]
    if refused:
        raise ValidationError(f"cannot replace in {refused[0].table} row {refused[0].row_id}: {refused[0].refused}")
    present = {p.source.table: p for p in present_sources(conn)}
    with conn.transaction():
        conflicts = [c for c in changes if run(conn, _update_statement(c, present[c.table]),
                                                (c.new_text, c.row_id, c.old_text)).rowcount != 1]
        if conflicts:
            raise ReplaceConflict(conflicts)
    return len(changes)


def _update_statement(change: RowChange, present: _Present) -> sql.Composable:
    """The row found by its id in the id column's own type, so its primary key index is used."""
    column = sql.Identifier(change.column)
    touch = sql.SQL(", updated_at = now()") if present.has_updated_at else sql.SQL("")
    editable = sql.SQL(" AND status = ANY({})").format(sql.Literal(list(EDITABLE_STATUSES))) \
        if change.table == "plugin_migrations" else sql.SQL("")
    return sql.SQL("UPDATE {t} SET {c} = %s{touch} WHERE id = CAST(%s AS {id_type}) AND coalesce({c}, '') = %s"
                   "{editable}").format(t=sql.Identifier(change.table), c=column, touch=touch,
                                        id_type=sql.SQL(present.id_type), editable=editable)
