"""Where a stored handler's function is: the line a breakpoint "on the handler" belongs to.

The storefront evaluates a hook or event row as one function expression, optionally after
``export default`` (PLATFORM.md §3.2); the debugger stops when that function is called. Code
with no such function (only comments, ``module.exports = …`` of something else, a syntax error
before the function) has nothing to bind a breakpoint to, and the reason says why.
"""
from __future__ import annotations

import tree_sitter

FUNCTIONS = {"function_expression", "arrow_function", "function_declaration", "function",
             "generator_function", "generator_function_declaration"}


def handler_function_line(tree: tree_sitter.Tree | None) -> tuple[int | None, str]:
    """(1-based line of the handler's function or None, "" or why a breakpoint cannot bind there)."""
    if tree is None:
        return None, "the file is not parsed yet"
    statements = [n for n in tree.root_node.named_children if n.type != "comment"]
    if not statements:
        return None, "the file has no code: there is no handler function to stop in"
    first = statements[0]
    if first.type == "ERROR" or (first.has_error and _function_in(first) is None):
        return None, f"a syntax error at line {first.start_point.row + 1} comes before the handler's function"
    function = _function_in(first)
    if function is None:
        return None, ("no handler function here: the storefront loads one function expression "
                      "(optionally after `export default`)")
    line = function.start_point.row + 1
    if tree.root_node.has_error:
        return line, "the handler has a syntax error: it cannot be loaded, so it cannot stop here"
    return line, ""


def _function_in(statement: tree_sitter.Node) -> tree_sitter.Node | None:
    node = statement
    for _ in range(4):   # export default / expression statement / parentheses / assignment
        if node.type in FUNCTIONS:
            return node
        inner = node.child_by_field_name("declaration") or node.child_by_field_name("value") \
            or node.child_by_field_name("right")
        if inner is None and node.named_children:
            inner = node.named_children[0]
        if inner is None:
            return None
        node = inner
    return node if node.type in FUNCTIONS else None
