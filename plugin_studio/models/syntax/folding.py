"""Fold levels from a syntax tree, one per line, in Scintilla's encoding: a block's first line is
a fold header, the lines inside it are one level deeper, and its closing line stays visible
(as Monaco folds). Blocks are the grammar's bracketed nodes that span more than one line."""
from __future__ import annotations

from itertools import accumulate

import tree_sitter

FOLDLEVEL_BASE, FOLDLEVEL_HEADER = 0x400, 0x2000
FOLDABLE = {
    "statement_block", "object", "array", "class_body", "switch_body", "arguments", "formal_parameters",
    "template_string", "jsx_element", "named_imports", "object_pattern", "array_pattern", "comment",  # JavaScript
    "block", "keyframe_block_list",                                                                    # CSS
    "section", "fenced_code_block",                                                                    # Markdown
}


def fold_levels(tree: tree_sitter.Tree, line_count: int) -> list[int]:
    """Scintilla fold levels (``SCI_SETFOLDLEVEL`` values) for lines 0..line_count-1."""
    change = [0] * (line_count + 1)
    headers = set()
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        first, last = node.start_point.row, node.end_point.row
        if last <= first:
            continue   # one line: nothing in it folds
        if node.type in FOLDABLE and last - first >= 2 and first < line_count:
            headers.add(first)
            change[first + 1] += 1
            change[min(last, line_count)] -= 1
        stack.extend(node.children)
    depths = list(accumulate(change[:line_count]))
    return [FOLDLEVEL_BASE + depth + (FOLDLEVEL_HEADER if line in headers else 0) for line, depth in enumerate(depths)]
