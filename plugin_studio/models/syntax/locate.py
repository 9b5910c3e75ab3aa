"""What a piece of the text is in the syntax tree: the nodes from the root down to it.

The whole-document checks find their few candidates in the text (a React hook's name starts
with ``use``; a hook or event call names its method) and ask the tree what each one is. A
tree-sitter query would find them by itself, but its cursor visits every node of the document
(~0.6 s at 1 MB, all of it holding the GIL, so the window would stall), and ``Node.parent`` walks
down from the root on every call (tree-sitter keeps no parent pointers). A cursor descending to
each candidate costs microseconds, and the path it took gives every ancestor.
"""
from __future__ import annotations

import re

import tree_sitter

# A byte of a JavaScript identifier (any non-ASCII byte may be part of a letter in UTF-8).
_IDENTIFIER_BYTE = re.compile(rb"[\w$\x80-\xff]")


def path_to(tree: tree_sitter.Tree, start: int, end: int) -> list[tree_sitter.Node]:
    """The nodes from the root down to the smallest one covering bytes [start, end), root first."""
    cursor = tree.walk()
    path = [cursor.node]
    while cursor.goto_first_child_for_byte(start) is not None:
        node = cursor.node
        if node.start_byte > start or node.end_byte < end:
            break
        path.append(node)
    return path


def word_spans(source: bytes, pattern: re.Pattern) -> list[tuple[int, int]]:
    """The spans of ``pattern``'s matches in ``source`` that are whole identifiers (not the middle
    of a longer name)."""
    spans = []
    for match in pattern.finditer(source):
        start, end = match.span()
        if start and _IDENTIFIER_BYTE.match(source, start - 1):
            continue
        spans.append((start, end))
    return spans


def is_node(node: tree_sitter.Node | None, other: tree_sitter.Node) -> bool:
    """``node`` is ``other`` (same place and kind)."""
    return node is not None and (node.start_byte, node.end_byte, node.type) == (other.start_byte, other.end_byte,
                                                                                  other.type)
