"""Where a row of a long line may end, from the file's syntax tree: at a token boundary, never
inside a string, template, comment or regular expression (``models.display_rows``)."""
from __future__ import annotations

import tree_sitter

from plugin_studio.models.display_rows import Boundary

# Nodes a row never breaks inside (tree-sitter-javascript's and the CSS/JSON grammars' names).
WHOLE = frozenset({"string", "template_string", "comment", "regex", "html_comment", "jsx_text",
                   "string_value", "integer_value", "float_value", "color_value", "escape_sequence"})
LONGEST_WHOLE = 64 * 1024   # a string longer than this is broken anyway (a row must stay short)


def token_boundary(tree: tree_sitter.Tree) -> Boundary:
    """A ``Boundary``: the first token boundary at or after a wanted offset, outside WHOLE nodes."""
    root = tree.root_node

    def boundary(wanted: int) -> int:
        node = root.descendant_for_byte_range(wanted, wanted + 1)
        if node is None:
            return wanted
        end = node.end_byte if node.child_count == 0 and node.start_byte < wanted else wanted
        ancestor = node
        while ancestor is not None:
            if ancestor.type in WHOLE and ancestor.start_byte < wanted < ancestor.end_byte and \
                    ancestor.end_byte - wanted < LONGEST_WHOLE:
                end = ancestor.end_byte
            ancestor = ancestor.parent
        return end

    return boundary
