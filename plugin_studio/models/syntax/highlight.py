"""Highlight classes for a byte range of a parsed document, one byte per byte of text.

Only the range asked for is queried (tree-sitter's ``set_byte_range``), so the cost follows the
size of the range, not of the document. Captures are painted outer node first, so an inner node's
class wins. When one node has several captures, the shipped queries disagree on which should win
(JavaScript's expects the last pattern, JSON's the first), so the more specific class wins:
``RANK`` below (a function named ``Badge`` is a function, not a constructor; a JSON key is a key).
"""
from __future__ import annotations

import tree_sitter

from plugin_studio.models.syntax.grammars import Grammar, Highlight

_FILLS = [bytes([int(h)]) for h in range(max(Highlight) + 1)]
_ORDER = (Highlight.DEFAULT, Highlight.OPERATOR, Highlight.PUNCTUATION, Highlight.STRING, Highlight.PROPERTY,
          Highlight.PARAMETER, Highlight.TYPE, Highlight.FUNCTION, Highlight.CONSTANT, Highlight.BUILTIN,
          Highlight.ATTRIBUTE, Highlight.TAG, Highlight.NUMBER, Highlight.KEYWORD, Highlight.ESCAPE,
          Highlight.COMMENT, Highlight.CODE, Highlight.LINK, Highlight.EMPHASIS, Highlight.STRONG,
          Highlight.HEADING, Highlight.ERROR)
RANK = {highlight: rank for rank, highlight in enumerate(_ORDER)}


def highlight_range(grammar: Grammar, tree: tree_sitter.Tree, start: int, end: int,
                    text=None) -> bytearray:
    """Classes (``Highlight`` values) for the bytes [start, end) of the document ``tree`` was parsed
    from. ``text(start, end) -> bytes`` is needed for grammars with an inline grammar (markdown)."""
    styles = bytearray(end - start)
    if end <= start:
        return styles
    if grammar.highlights is None:
        paint_by_node_type(styles, start, end, tree.root_node)
        return styles
    _paint(styles, start, end, grammar, tree.root_node, (start, end))
    if grammar.inline is not None and text is not None:
        _paint_inline(styles, start, end, grammar.inline, tree, text)
    return styles


def _paint(styles: bytearray, start: int, end: int, grammar: Grammar, node: tree_sitter.Node,
           byte_range: tuple[int, int], offset: int = 0) -> None:
    """Paint the captures of ``grammar``'s query under ``node`` within ``byte_range`` (in the
    node's own coordinates; ``offset`` turns them into document bytes)."""
    cursor = tree_sitter.QueryCursor(grammar.highlights)
    cursor.set_byte_range(*byte_range)
    spans = []
    classes = grammar.capture_classes
    for _pattern, captures in cursor.matches(node):
        for name, nodes in captures.items():
            highlight = classes.get(name)
            if highlight is None:
                continue
            rank = RANK[highlight]
            for captured in nodes:
                spans.append((captured.start_byte + offset, -(captured.end_byte + offset), rank, highlight))
    spans.sort()
    for span_start, negative_end, _rank, highlight in spans:
        a, b = max(span_start, start), min(-negative_end, end)
        if b > a:
            styles[a - start:b - start] = _FILLS[highlight] * (b - a)


def _paint_inline(styles: bytearray, start: int, end: int, inline: Grammar, tree: tree_sitter.Tree, text) -> None:
    """Markdown keeps paragraphs' inline content (emphasis, code, links) for a second grammar."""
    cursor = tree_sitter.QueryCursor(_inline_nodes(tree.language))
    cursor.set_byte_range(start, end)
    parser = tree_sitter.Parser(inline.language)
    for node in cursor.captures(tree.root_node).get("inline", []):
        source = text(node.start_byte, node.end_byte)
        inline_tree = parser.parse(source)
        _paint(styles, start, end, inline, inline_tree.root_node, (0, len(source)), node.start_byte)


_INLINE_QUERIES: dict = {}


def _inline_nodes(language: tree_sitter.Language) -> tree_sitter.Query:
    if language not in _INLINE_QUERIES:
        _INLINE_QUERIES[language] = tree_sitter.Query(language, "(inline) @inline")
    return _INLINE_QUERIES[language]


# -- grammars highlighted by node type (SQL) ------------------------------------------------------
_PUNCTUATION = frozenset("(),;.[]")
_NODE_CLASSES = {"comment": Highlight.COMMENT, "marginalia": Highlight.COMMENT, "parameter": Highlight.PARAMETER,
                 "keyword_null": Highlight.CONSTANT, "keyword_true": Highlight.CONSTANT,
                 "keyword_false": Highlight.CONSTANT}
_IDENTIFIER_CLASSES = {"field": Highlight.PROPERTY, "column": Highlight.PROPERTY,
                       "column_definition": Highlight.PROPERTY}


def paint_by_node_type(styles: bytearray, start: int, end: int, node: tree_sitter.Node) -> None:
    """Classes from the node types themselves, for the tokens in [start, end) under ``node``."""
    for child in node.children:
        if child.end_byte <= start:
            continue
        if child.start_byte >= end:
            break
        highlight = _node_class(child)
        if highlight is not None:
            a, b = max(child.start_byte, start), min(child.end_byte, end)
            styles[a - start:b - start] = _FILLS[highlight] * (b - a)
        if child.child_count and child.type not in ("comment", "marginalia"):
            paint_by_node_type(styles, start, end, child)


def _node_class(node: tree_sitter.Node) -> Highlight | None:
    kind = node.type
    if kind in _NODE_CLASSES:
        return _NODE_CLASSES[kind]
    if kind.startswith("keyword_"):
        return Highlight.KEYWORD
    if kind == "literal":
        first = node.text[:1] if node.text else b""
        return Highlight.STRING if first in (b"'", b"$", b"E", b"e", b'"') else Highlight.NUMBER
    if kind == "identifier" and node.parent is not None:
        parent = node.parent
        if parent.type == "object_reference" and parent.parent is not None and parent.parent.type == "invocation":
            return Highlight.FUNCTION
        return _IDENTIFIER_CLASSES.get(parent.type)
    if not node.is_named:
        return Highlight.PUNCTUATION if kind in _PUNCTUATION else Highlight.OPERATOR
    return None
