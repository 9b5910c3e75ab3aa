"""React's rules of hooks (react.dev "Rules of Hooks"), checked on the syntax tree: a hook is
called at the top level of a component or of a custom hook, never inside a condition, a loop,
a nested callback, or after an early return — otherwise React sees hooks in a different order
from one render to the next and state goes to the wrong hook.
"""
from __future__ import annotations

import re

import tree_sitter

from plugin_studio.models.syntax.locate import is_node, path_to, word_spans
from plugin_studio.models.syntax.positions import Positions
from plugin_studio.models.syntax.problems import Problem, problem_at

HOOK_NAME = re.compile(r"^use[A-Z0-9]")
COMPONENT_NAME = re.compile(r"^[A-Z]")
FUNCTIONS = {"function_declaration", "function_expression", "arrow_function", "method_definition",
             "generator_function_declaration", "generator_function"}
CONDITIONS = {"if_statement": "an `if`", "ternary_expression": "a `?:` expression", "switch_case": "a `switch` case",
              "switch_default": "a `switch` case", "catch_clause": "a `catch` block"}
LOOPS = {"for_statement", "for_in_statement", "while_statement", "do_statement"}


def hook_rule_problems(tree: tree_sitter.Tree, positions: Positions) -> list[Problem]:
    """Problems for hooks called where React cannot rely on their order."""
    problems = []
    for path, name in _hook_calls(tree, positions.source):
        message = _where_wrong(path, name, positions)
        if message:
            callee = path[-1].child_by_field_name("function")
            problems.append(problem_at(positions, callee.start_byte, callee.end_byte, message, "error", "react"))
    return problems


HOOK_WORD = re.compile(rb"use[A-Z0-9][\w$\x80-\xff]*")


def _hook_calls(tree: tree_sitter.Tree, source: bytes) -> list[tuple[list[tree_sitter.Node], str]]:
    """Calls of use…() and X.use…(): (the path from the root to the call, the hook's name).
    Candidates come from the text and the tree says which are calls (``locate``: why)."""
    calls = []
    for start, end in word_spans(source, HOOK_WORD):
        path = path_to(tree, start, end)
        callee = path[-1]
        if (callee.start_byte, callee.end_byte) != (start, end) or len(path) < 3:
            continue
        if callee.type == "property_identifier" and path[-2].type == "member_expression" \
                and is_node(path[-2].child_by_field_name("property"), callee):
            path = path[:-1]
        elif callee.type != "identifier":
            continue
        if path[-2].type == "call_expression" and is_node(path[-2].child_by_field_name("function"), path[-1]):
            calls.append((path[:-1], source[start:end].decode("ascii")))
    return calls


def _where_wrong(path: list[tree_sitter.Node], name: str, positions: Positions) -> str:
    """Why the call at the end of ``path`` breaks the rules of hooks, or ""."""
    call = path[-1]
    level = len(path) - 2
    while level >= 0 and path[level].type not in FUNCTIONS:
        reason = _conditional(path[level], path[level + 1])
        if reason:
            return f"React Hook `{name}` is called inside {reason}: hooks must run in the same order on every render"
        level -= 1
    if level < 0:
        return ""   # top-level code: not a render at all, React reports that itself
    function, outer = path[level], path[:level]
    owner = _function_name(function, outer, positions.source)
    if owner and not (COMPONENT_NAME.match(owner) or HOOK_NAME.match(owner)):
        return (f"React Hook `{name}` is called in `{owner}`, which is neither a component (a name starting "
                f"with a capital) nor a custom hook (`use…`)")
    if not owner and not _may_be_component(outer, positions.source):
        return f"React Hook `{name}` is called inside a callback: call it at the top level of the component"
    early = _early_return_before(function, call)
    if early is not None:
        return (f"React Hook `{name}` is called after the early return at line {early.start_point.row + 1}: "
                f"on renders that return there it is skipped")
    return ""


def _conditional(node: tree_sitter.Node, child: tree_sitter.Node) -> str:
    if node.type in LOOPS:
        return "a loop"
    if node.type in CONDITIONS and node.child_by_field_name("condition") != child:
        return CONDITIONS[node.type]
    if node.type == "binary_expression" and node.child_by_field_name("right") == child:
        operator = node.child_by_field_name("operator")
        if operator is not None and operator.type in ("&&", "||", "??"):
            return f"a `{operator.type}` condition"
    return ""


def _function_name(function: tree_sitter.Node, ancestors: list[tree_sitter.Node], source: bytes) -> str:
    name = function.child_by_field_name("name")
    parent = ancestors[-1] if ancestors else None
    if name is None and parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
    return source[name.start_byte:name.end_byte].decode("utf-8", "replace") if name is not None else ""


def _may_be_component(ancestors: list[tree_sitter.Node], source: bytes) -> bool:
    """An anonymous function (whose ``ancestors`` these are, root first) is a component when it
    is the code's own value: a default export, a stored widget's lone function, or the argument
    of React.memo/forwardRef."""
    if not ancestors:
        return True
    parent = ancestors[-1]
    if parent.type in ("export_statement", "program", "expression_statement", "parenthesized_expression"):
        return True
    if parent.type == "arguments":
        callee = ancestors[-2].child_by_field_name("function") if len(ancestors) > 1 else None
        return callee is not None and source[callee.start_byte:callee.end_byte].split(b".")[-1] in (b"memo",
                                                                                                  b"forwardRef")
    return False


def _early_return_before(function: tree_sitter.Node, call: tree_sitter.Node) -> tree_sitter.Node | None:
    body = function.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    for statement in body.named_children:
        if statement.start_byte >= call.start_byte:
            return None
        if statement.type != "return_statement":
            found = _return_inside(statement)
            if found is not None:
                return found
    return None


def _return_inside(node: tree_sitter.Node) -> tree_sitter.Node | None:
    for child in node.named_children:
        if child.type == "return_statement":
            return child
        if child.type not in FUNCTIONS:
            found = _return_inside(child)
            if found is not None:
                return found
    return None
