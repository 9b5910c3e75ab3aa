"""Migration SQL read by PostgreSQL's own parser (pglast): statements, their places, their kinds.

The parser splits a script into statements wherever PostgreSQL itself would, so a function body
in any form (``$$…$$``, ``BEGIN ATOMIC … END``, ``RETURN expr``), a ``CASE … END`` or a ``DO``
block is one statement, and transaction control is told apart from a function's ``END`` by the
node the parser builds, never by the words. Positions are kept as *file* line and column: a
script is planned with the line on which it starts in its file.

The tree is read as libpg_query's JSON (``parse_sql_json``, four times faster than building
pglast's node objects), whose ``stmt_location`` and ``stmt_len`` are offsets in UTF-8 *bytes*;
they are turned into character offsets here (pglast already gives error locations in characters).
The tests pin both with multi-byte text before each statement.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from pglast import parser

from plugin_studio.models.migration_checks import Node, outside_transaction_reason, risky_reason, unwrap


class MigrationTextError(ValueError):
    """A migration's text cannot be read or run as written; ``line``/``column`` are file positions."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        where = f"line {line}: " if line else ""
        super().__init__(where + message)
        self.line, self.column, self.reason = line, column, message

    @property
    def user_message(self) -> str:
        return str(self)


class ScriptError(MigrationTextError):
    """The script cannot be run as a migration (a syntax error, or it ends the runner's transaction)."""


class Positions:
    """Maps character offsets of a script to 1-based file lines and columns.

    ``first_line`` is the file line on which the script starts (a section of a migration file).
    """

    def __init__(self, text: str, first_line: int = 1):
        self.first_line = first_line
        self._starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def place(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, max(offset, 0)) - 1
        return self.first_line + index, offset - self._starts[index] + 1


@dataclass
class Statement:
    """One top-level statement as sent to the server (its ``;`` and surrounding space left out)."""

    sql: str
    start: int                   # character offset in the script
    line: int                    # file line and column of its first character
    column: int
    kind: str = field(compare=False)       # the parse node's type: "CreateFunctionStmt", "TransactionStmt"…
    node: Node = field(repr=False, compare=False)
    positions: Positions = field(repr=False, compare=False)

    def place(self, position: int | None) -> tuple[int, int]:
        """File line and column of the server's 1-based character ``position`` in ``sql`` (None: the start)."""
        if not position:
            return self.line, self.column
        return self.positions.place(self.start + position - 1)


def split_statements(text: str, first_line: int = 1) -> list[Statement]:
    """The script's statements in order; comments and blank text between them are not statements.

    Raises ScriptError (with the file line and column) when PostgreSQL's parser rejects the text.
    """
    positions = Positions(text, first_line)
    try:
        tree = json.loads(parser.parse_sql_json(text))
    except parser.ParseError as exc:
        message, location = exc.args[0], exc.args[1] if len(exc.args) > 1 else 0
        line, column = positions.place(location)
        raise ScriptError(message.split(", at index")[0], line, column) from None
    to_char = _char_offsets(text)
    out = []
    for raw in tree.get("stmts", []):
        start = raw.get("stmt_location", 0)
        end = start + raw["stmt_len"] if raw.get("stmt_len") else None
        start, end = to_char(start), len(text) if end is None else to_char(end)
        kind, node = unwrap(raw["stmt"])
        line, column = positions.place(start)
        out.append(Statement(text[start:end].rstrip(), start, line, column, kind, node, positions))
    return out


def _char_offsets(text: str):
    """A function from UTF-8 byte offsets in ``text`` to character offsets."""
    if text.isascii():
        return lambda offset: offset
    data = text.encode("utf-8")
    return lambda offset: len(data[:offset].decode("utf-8", "ignore"))


# ---- transaction control --------------------------------------------------------------------

_OPENS = ("TRANS_STMT_BEGIN", "TRANS_STMT_START")
_CLOSES = ("TRANS_STMT_COMMIT",)
# Savepoints nest inside the runner's transaction; everything else would end or replace it.
_INSIDE = ("TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO")


def _transaction_kind(stmt: Statement) -> str | None:
    return stmt.node.get("kind") if stmt.kind == "TransactionStmt" else None


def ends_transaction(stmt: Statement) -> bool:
    """BEGIN, COMMIT/END, ROLLBACK/ABORT, PREPARE TRANSACTION … (not SAVEPOINT, RELEASE, ROLLBACK TO)."""
    kind = _transaction_kind(stmt)
    return kind is not None and kind not in _INSIDE


# ---- the plan -------------------------------------------------------------------------------

@dataclass
class Flag:
    line: int
    message: str


@dataclass
class ScriptPlan:
    """A script made ready to run: the statements to send, in file positions, and what to warn about."""

    statements: list[Statement]
    risky: list[Flag] = field(default_factory=list)
    outside_transaction: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def transactional(self) -> bool:
        """Whether the runner wraps the script in one transaction (False: statement by statement)."""
        return not self.outside_transaction

    def warnings(self) -> list[str]:
        """Each warning once, in file order, as the CLI and the panel print them."""
        out = [f"line {f.line}: risky: {f.message}" for f in self.risky]
        out += [f"line {f.line}: {f.message}; the migration runs statement by statement outside a transaction,"
                " so a failure leaves the earlier statements applied" for f in self.outside_transaction]
        return list(dict.fromkeys(out + self.notes))


def plan_script(text: str, first_line: int = 1, server_version: int | None = None) -> ScriptPlan:
    """Split, check and classify a script for the runner, which runs each migration in one transaction.

    ``server_version`` is ``PQserverVersion`` (160004); some statements (``ALTER TYPE … ADD VALUE``
    before 12) cannot run in a transaction on older servers. Raises ScriptError for a syntax error,
    for transaction control other than an enclosing ``BEGIN … COMMIT`` pair (which is left out, with
    a note), and for ``COPY … FROM STDIN``, whose data only psql can supply.
    """
    statements = split_statements(text, first_line)
    notes = []
    if len(statements) >= 2 and _transaction_kind(statements[0]) in _OPENS \
            and _transaction_kind(statements[-1]) in _CLOSES:
        statements = statements[1:-1]
        notes.append("the script's own BEGIN/COMMIT are left out: the runner wraps the migration in a transaction")
    plan = ScriptPlan(statements, notes=notes)
    created: set[str] = set()
    for stmt in statements:
        _refuse(stmt)
        if reason := risky_reason(stmt.kind, stmt.node, created):
            plan.risky.append(Flag(stmt.line, reason))
        if reason := outside_transaction_reason(stmt.kind, stmt.node, server_version):
            plan.outside_transaction.append(Flag(stmt.line, f"{reason} cannot run inside a transaction"))
        if stmt.kind == "CreateStmt":
            created.add(stmt.node["relation"]["relname"])
    return plan


def _refuse(stmt: Statement) -> None:
    if ends_transaction(stmt):
        word = stmt.sql.split(None, 1)[0].upper() if stmt.sql else "it"
        raise ScriptError(f"{word} would end the runner's transaction; remove it (each migration already"
                          " runs in one transaction)", stmt.line, stmt.column)
    node = stmt.node
    if stmt.kind == "CopyStmt" and node.get("is_from") and not node.get("filename") and not node.get("is_program"):
        raise ScriptError("COPY … FROM STDIN needs the data psql sends after it; use INSERT … VALUES"
                          " in a migration", stmt.line, stmt.column)


def statement_complete(text: str) -> bool:
    """True when ``text`` is whole statements ending with ``;`` that PostgreSQL's parser accepts."""
    try:
        tokens = [t for t in parser.scan(text) if t.name not in ("SQL_COMMENT", "C_COMMENT")]
        if not tokens or tokens[-1].name != "ASCII_59":
            return False
        parser.parse_sql_json(text)
    except parser.ParseError:
        return False
    return True


def parses(text: str) -> bool:
    """Whether PostgreSQL's parser accepts ``text`` as a script of one or more statements."""
    try:
        return bool(json.loads(parser.parse_sql_json(text)).get("stmts"))
    except parser.ParseError:
        return False
