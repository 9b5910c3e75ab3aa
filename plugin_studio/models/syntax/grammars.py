"""The tree-sitter grammars the editor parses with, and the highlight classes their captures map to.

Grammars come from PyPI (tree-sitter-javascript covers JSX; css, json, sql, markdown). The
highlight queries are the ones each grammar ships; in them a later pattern overrides an earlier
one for the same node (nvim-treesitter order), which ``highlight.py`` relies on.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache
from importlib.resources import files

import tree_sitter


class Highlight(IntEnum):
    """What a span of code is, as the editor colours it. Values are Scintilla style numbers (< 32)."""
    DEFAULT = 0
    KEYWORD = 1
    STRING = 2
    COMMENT = 3
    NUMBER = 4
    OPERATOR = 5
    FUNCTION = 6
    BUILTIN = 7
    TAG = 8
    ATTRIBUTE = 9
    ERROR = 10
    PROPERTY = 11
    CONSTANT = 12
    TYPE = 13
    PUNCTUATION = 14
    PARAMETER = 15
    ESCAPE = 16
    HEADING = 17
    EMPHASIS = 18
    STRONG = 19
    LINK = 20
    CODE = 21


# Capture names of the shipped queries, by longest dotted prefix.
CAPTURE_CLASSES = {
    "keyword": Highlight.KEYWORD, "conditional": Highlight.KEYWORD, "storageclass": Highlight.KEYWORD,
    "type.qualifier": Highlight.KEYWORD, "keyword.operator": Highlight.KEYWORD, "import": Highlight.KEYWORD,
    "media": Highlight.KEYWORD, "charset": Highlight.KEYWORD, "keyframes": Highlight.KEYWORD,
    "supports": Highlight.KEYWORD, "namespace": Highlight.KEYWORD,
    "string": Highlight.STRING, "string.special.key": Highlight.PROPERTY, "string.escape": Highlight.ESCAPE,
    "escape": Highlight.ESCAPE, "comment": Highlight.COMMENT,
    "number": Highlight.NUMBER, "float": Highlight.NUMBER, "boolean": Highlight.CONSTANT,
    "operator": Highlight.OPERATOR, "punctuation": Highlight.PUNCTUATION,
    "function": Highlight.FUNCTION, "function.builtin": Highlight.BUILTIN,
    "variable.builtin": Highlight.BUILTIN, "constant.builtin": Highlight.BUILTIN,
    "variable": Highlight.DEFAULT, "variable.parameter": Highlight.PARAMETER, "parameter": Highlight.PARAMETER,
    "property": Highlight.PROPERTY, "field": Highlight.PROPERTY, "attribute": Highlight.ATTRIBUTE,
    "tag": Highlight.TAG, "constant": Highlight.CONSTANT, "constructor": Highlight.TYPE, "type": Highlight.TYPE,
    "embedded": Highlight.DEFAULT, "none": Highlight.DEFAULT,
    "text.title": Highlight.HEADING, "text.emphasis": Highlight.EMPHASIS, "text.strong": Highlight.STRONG,
    "text.uri": Highlight.LINK, "text.reference": Highlight.LINK, "text.literal": Highlight.CODE,
}


def highlight_for_capture(name: str) -> Highlight | None:
    """The class of a capture name (``function.method`` → FUNCTION); None for captures we don't colour."""
    while name:
        if name in CAPTURE_CLASSES:
            return CAPTURE_CLASSES[name]
        name = name.rpartition(".")[0]
    return None


@dataclass(frozen=True, eq=False)
class Grammar:
    """A parsable language: its tree-sitter language and highlight query, captures resolved to classes."""
    name: str
    language: tree_sitter.Language
    highlights: tree_sitter.Query | None   # None: highlighted by node type (``highlight.paint_by_node_type``)
    capture_classes: dict[str, Highlight | None] = field(repr=False, hash=False)  # by capture name
    inline: "Grammar | None" = None   # markdown: paragraphs' inline content is a second grammar


# language name → (module, function returning the language, query files relative to the package)
_SOURCES = {
    "javascript": ("tree_sitter_javascript", "language", ("queries/highlights.scm", "queries/highlights-jsx.scm",
                                                          "queries/highlights-params.scm")),
    "css": ("tree_sitter_css", "language", ("queries/highlights.scm",)),
    "json": ("tree_sitter_json", "language", ("queries/highlights.scm",)),
    # No query for SQL: any query on its large grammar takes 150-300 ms to compile (holding the GIL),
    # and its node types (keyword_select, literal, comment...) already say what each token is.
    "sql": ("tree_sitter_sql", "language", ()),
    "markdown": ("tree_sitter_markdown", "language", ("queries/markdown/highlights.scm",)),
    "markdown_inline": ("tree_sitter_markdown", "inline_language", ("queries/markdown_inline/highlights.scm",)),
}
ALIASES = {"jsx": "javascript"}


def grammar_for(language: str) -> Grammar | None:
    """The grammar for an editor language (``javascript``, ``jsx``, ``css``, ``json``, ``sql``,
    ``markdown``); None for plain text. Built once per process (~20-40 ms for JavaScript's query)."""
    name = ALIASES.get(language, language)
    return _grammar(name) if name in _SOURCES else None


@cache
def _grammar(name: str) -> Grammar:
    module_name, function, query_files = _SOURCES[name]
    module = importlib.import_module(module_name)
    ts_language = tree_sitter.Language(getattr(module, function)())
    query, classes = None, {}
    if query_files:
        source = "\n".join((files(module_name) / path).read_text(encoding="utf-8") for path in query_files)
        query = tree_sitter.Query(ts_language, source)
        names = (query.capture_name(i) for i in range(query.capture_count))
        classes = {capture: highlight_for_capture(capture) for capture in names}
    inline = _grammar("markdown_inline") if name == "markdown" else None
    return Grammar(name, ts_language, query, classes, inline)
