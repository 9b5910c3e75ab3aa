"""Reading migration SQL the way PostgreSQL's lexer does, line by line.

A small scanner that knows string literals ('', E'', identifiers in ""), dollar quotes
($$ and $tag$), line comments and nested block comments. It tells the file parser which
lines are plain comments at top level (section markers are only recognised there, never
inside a function body), splits a script into statements at top-level semicolons, and gives
each statement its words so the runner can classify it (risky, or not allowed in a
transaction) without regexes over raw text that would be fooled by strings and comments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from plugin_studio.db.errors import ValidationError

# Scanner states carried from one line to the next.
CODE = "code"
QUOTE = "quote"          # '...' (or E'...' with backslash escapes)
IDENT = "ident"          # "..."
DOLLAR = "dollar"        # $tag$ ... $tag$
BLOCK = "block"          # /* ... */, nested

_WORD_CHARS = re.compile(r"[A-Za-z0-9_$]")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$")
_WORD = re.compile(r"[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*")


@dataclass
class ScanState:
    mode: str = CODE
    escapes: bool = False    # inside an E'' string
    tag: str = ""            # the dollar-quote tag being closed
    depth: int = 0           # block comment nesting


@dataclass
class Line:
    """One physical line and what the scanner knew about it."""

    number: int              # 1-based
    text: str                # without its newline
    start: int               # offset of the line in the script
    starts_in: str           # scanner mode at the start of the line
    is_blank: bool
    is_comment: bool         # only a ``--`` comment, starting at top level
    has_code: bool           # holds something the server would execute (or quoted text)


@dataclass
class Statement:
    """One top-level statement: its text (without the final ``;``) and its words, upper-cased.

    ``words`` skips comments and string contents; quoted identifiers and literals appear as the
    placeholders ``"IDENT"`` and ``'LIT'`` so ``DELETE FROM t WHERE x = 'WHERE'`` still reads right.
    """

    text: str
    start: int
    line: int                # line of the first word
    words: list[str] = field(default_factory=list)

    def starts_with(self, *words: str) -> bool:
        return self.words[: len(words)] == list(words)


class _Scanner:
    """Walks a script once, producing lines and statements together."""

    def __init__(self, text: str):
        self.text = text
        self.state = ScanState()
        self.lines: list[Line] = []
        self.statements: list[Statement] = []
        self._words: list[str] = []
        self._stmt_start: int | None = None
        self._stmt_line = 0
        self._code_seen = False

    def run(self, finish: bool = True) -> "_Scanner":
        offset = 0
        for number, raw in enumerate(self.text.split("\n"), start=1):
            self._scan_line(number, raw, offset)
            offset += len(raw) + 1
        if finish:
            self._end_statement(len(self.text))
        return self

    def _scan_line(self, number: int, raw: str, offset: int) -> None:
        starts_in = self.state.mode
        stripped = raw.strip()
        self._code_seen = False
        i = 0
        while 0 <= i < len(raw):
            i = self._step(raw, i, offset, number)
        is_comment = starts_in == CODE and stripped.startswith("--")
        self.lines.append(Line(number, raw, offset, starts_in, not stripped, is_comment, self._code_seen))

    def _step(self, raw: str, i: int, offset: int, number: int) -> int:
        """Consume one token-ish piece at ``raw[i]``; return the next index, or -1 at a line comment."""
        s = self.state
        ch = raw[i]
        if s.mode == BLOCK:
            if raw.startswith("/*", i):
                s.depth += 1
                return i + 2
            if raw.startswith("*/", i):
                s.depth -= 1
                if s.depth == 0:
                    s.mode = CODE
                return i + 2
            return i + 1
        if s.mode != CODE:
            self._code_seen = True
        if s.mode == QUOTE:
            if s.escapes and ch == "\\":
                return i + 2
            if ch == "'":
                if raw.startswith("''", i):
                    return i + 2
                s.mode = CODE
            return i + 1
        if s.mode == IDENT:
            if ch == '"':
                if raw.startswith('""', i):
                    return i + 2
                s.mode = CODE
            return i + 1
        if s.mode == DOLLAR:
            closing = "$" + s.tag + "$"
            if raw.startswith(closing, i):
                s.mode = CODE
                return i + len(closing)
            return i + 1
        return self._step_code(raw, i, offset, number)

    def _step_code(self, raw: str, i: int, offset: int, number: int) -> int:
        s = self.state
        ch = raw[i]
        if raw.startswith("--", i):
            return -1
        if raw.startswith("/*", i):
            s.mode, s.depth = BLOCK, 1
            return i + 2
        if ch.isspace():
            return i + 1
        self._code_seen = True
        self._begin_statement(offset + i, number)
        if ch == ";":
            self._end_statement(offset + i)
            return i + 1
        if ch == "'":
            prefix = raw[i - 1] if i else ""
            before_prefix = raw[i - 2] if i > 1 else ""
            s.escapes = prefix in "eE" and prefix != "" and not _WORD_CHARS.match(before_prefix or " ")
            s.mode = QUOTE
            self._words.append("'LIT'")
            return i + 1
        if ch == '"':
            s.mode = IDENT
            self._words.append('"IDENT"')
            return i + 1
        if ch == "$" and not (i and _WORD_CHARS.match(raw[i - 1])):
            tag = _DOLLAR_TAG.match(raw, i)
            if tag:
                s.mode, s.tag = DOLLAR, tag.group(1) or ""
                self._words.append("$BODY$")
                return tag.end()
        word = _WORD.match(raw, i)
        if word:
            self._words.append(word.group(0).upper())
            return word.end()
        if ch in "()":
            self._words.append(ch)
        return i + 1

    def _begin_statement(self, at: int, number: int) -> None:
        if self._stmt_start is None:
            self._stmt_start = at
            self._stmt_line = number

    def _end_statement(self, at: int) -> None:
        if self._stmt_start is not None:
            body = self.text[self._stmt_start:at]
            self.statements.append(Statement(body, self._stmt_start, self._stmt_line, self._words))
        self._stmt_start = None
        self._words = []


def scan_lines(text: str) -> list[Line]:
    return _Scanner(text).run().lines


def split_statements(text: str) -> list[Statement]:
    """Top-level statements in order; comments between them are not statements."""
    return _Scanner(text).run().statements


def unterminated(text: str) -> str | None:
    """What the script leaves open at its end (a string, a dollar quote, a comment), if anything."""
    scanner = _Scanner(text).run()
    return {QUOTE: "a string literal", IDENT: "a quoted identifier", DOLLAR: "a dollar-quoted body",
            BLOCK: "a /* comment */"}.get(scanner.state.mode)


def statement_open(text: str) -> bool:
    """True when the text ends inside a statement (no closing ``;`` yet, or inside a quote)."""
    scanner = _Scanner(text).run(finish=False)
    return scanner.state.mode != CODE or scanner._stmt_start is not None


# ---- classification ------------------------------------------------------------------------

@dataclass
class Flag:
    line: int
    message: str


def _depth0_words(words: list[str]) -> list[str]:
    """Words outside parentheses, so a WHERE inside a sub-select does not count for the outer DELETE."""
    out, depth = [], 0
    for w in words:
        if w == "(":
            depth += 1
        elif w == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(w)
    return out


def _object_after(words: list[str], *, skip=("IF", "EXISTS", "ONLY", "TABLE")) -> str:
    rest = [w for w in words if w not in skip]
    return rest[0].lower() if rest else "?"


def risky_reason(stmt: Statement) -> str | None:
    """Why a statement can destroy data, or None. Checked before running (DROP, TRUNCATE...)."""
    w = stmt.words
    top = _depth0_words(w)
    if stmt.starts_with("DROP", "TABLE"):
        return f"DROP TABLE {_object_after(w[2:])} deletes the table and its data"
    if stmt.starts_with("DROP", "SCHEMA"):
        return "DROP SCHEMA deletes every object in the schema"
    if stmt.starts_with("TRUNCATE"):
        return f"TRUNCATE {_object_after(w[1:])} deletes every row"
    if stmt.starts_with("DELETE", "FROM") and "WHERE" not in top:
        return f"DELETE FROM {_object_after(w[2:])} without WHERE deletes every row"
    if stmt.starts_with("ALTER", "TABLE"):
        return _risky_alter_table(top)
    return None


def _risky_alter_table(top: list[str]) -> str | None:
    table = _object_after(top[2:])
    for i, word in enumerate(top):
        if word == "DROP" and i + 1 < len(top) and top[i + 1] not in ("CONSTRAINT", "DEFAULT", "NOT",
                                                                       "IDENTITY", "EXPRESSION"):
            column = _object_after(top[i + 1:], skip=("COLUMN", "IF", "EXISTS"))
            return f"ALTER TABLE {table} DROP COLUMN {column} deletes the column's data"
        if word == "TYPE" and "ALTER" in top[3:i]:
            return f"ALTER TABLE {table} ... TYPE rewrites the column and can lose data"
    return None


def outside_transaction_reason(stmt: Statement) -> str | None:
    """Why a statement cannot run inside a transaction block, or None."""
    w = stmt.words
    if w[:1] == ["CREATE"] and "INDEX" in w[:3] and "CONCURRENTLY" in w[:4]:
        return "CREATE INDEX CONCURRENTLY"
    if w[:3] == ["DROP", "INDEX", "CONCURRENTLY"]:
        return "DROP INDEX CONCURRENTLY"
    if w[:1] == ["REINDEX"] and ("CONCURRENTLY" in w or (len(w) > 1 and w[1] in ("DATABASE", "SYSTEM"))):
        return "REINDEX " + ("CONCURRENTLY" if "CONCURRENTLY" in w else w[1])
    for words in (["VACUUM"], ["CREATE", "DATABASE"], ["DROP", "DATABASE"], ["ALTER", "SYSTEM"],
                  ["CREATE", "TABLESPACE"], ["DROP", "TABLESPACE"], ["CREATE", "SUBSCRIPTION"],
                  ["DROP", "SUBSCRIPTION"]):
        if stmt.starts_with(*words):
            return " ".join(words)
    if w == ["CLUSTER"]:
        return "CLUSTER without a table"
    return None


TRANSACTION_CONTROL = ("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE")


def is_transaction_control(stmt: Statement) -> bool:
    w = stmt.words
    if not w or w[0] not in TRANSACTION_CONTROL:
        return False
    return w[0] != "START" or w[1:2] == ["TRANSACTION"]


# ---- what the runner will do with a script -------------------------------------------------

@dataclass
class ScriptPlan:
    """A script made ready to run: the text to send, where it sits in the original, and the flags."""

    sql: str                         # what is sent (the file's own BEGIN/COMMIT wrapper removed)
    offset: int                      # where ``sql`` starts in the original text
    statements: list[Statement]
    risky: list[Flag] = field(default_factory=list)
    outside_transaction: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def in_transaction(self) -> bool:
        return not self.outside_transaction


class ScriptError(ValidationError):
    """The script cannot be run as a migration (it ends the runner's transaction itself)."""


def plan_script(text: str) -> ScriptPlan:
    """Prepare a script for the runner, which wraps each migration in its own transaction."""
    statements = split_statements(text)
    sql, offset = text, 0
    if len(statements) >= 2 and _opens_transaction(statements[0]) and _closes_transaction(statements[-1]):
        offset = text.index(";", statements[0].start + len(statements[0].text)) + 1
        sql = text[offset:statements[-1].start]
        statements = statements[1:-1]
        notes = ["the script's own BEGIN/COMMIT are left out: the runner wraps the migration in a transaction"]
    else:
        notes = []
    for stmt in statements:
        if is_transaction_control(stmt):
            raise ScriptError(f"line {stmt.line}: {' '.join(stmt.words[:2])} would end the runner's transaction;"
                              " remove it (each migration already runs in one transaction)")
    plan = ScriptPlan(sql, offset, statements, notes=notes)
    for stmt in statements:
        if reason := risky_reason(stmt):
            plan.risky.append(Flag(stmt.line, reason))
        if reason := outside_transaction_reason(stmt):
            plan.outside_transaction.append(Flag(stmt.line, f"{reason} cannot run inside a transaction"))
    return plan


def _opens_transaction(stmt: Statement) -> bool:
    return stmt.words[:1] == ["BEGIN"] or stmt.words[:2] == ["START", "TRANSACTION"]


def _closes_transaction(stmt: Statement) -> bool:
    return stmt.words[:1] in (["COMMIT"], ["END"])


def line_and_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a 1-based character position, as PostgreSQL reports it."""
    before = text[: max(position - 1, 0)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
