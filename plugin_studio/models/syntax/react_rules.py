"""React's rules of hooks (react.dev "Rules of Hooks"), checked on the syntax tree: a hook is
called at the top level of a component or of a custom hook, never inside a condition, a loop,
a nested callback, or after an early return — otherwise React sees hooks in a different order
from one render to the next and state goes to the wrong hook.
"""
from __future__ import annotations

import re

import tree_sitter

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
    for call, name in _hook_calls(tree):
        message = _where_wrong(call, name, positions)
        if message:
            callee = call.child_by_field_name("function")
            problems.append(problem_at(positions, callee.start_byte, callee.end_byte, message, "error", "react"))
    return problems


# Calls of use…() and X.use…(), found by tree-sitter itself (a Python walk costs ~250 ms at 100 KB).
HOOK_CALLS = """
(call_expression function: (identifier) @callee) @call
(call_expression function: (member_expression property: (property_identifier) @callee)) @call
"""
_QUERIES: dict = {}


def _hook_calls(tree: tree_sitter.Tree):
    language = tree.language
    if language not in _QUERIES:
        _QUERIES[language] = tree_sitter.Query(language, HOOK_CALLS)
    calls = []
    for _pattern, found in tree_sitter.QueryCursor(_QUERIES[language]).matches(tree.root_node):
        text = (found["callee"][0].text or b"").decode("utf-8", "replace")
        if HOOK_NAME.match(text):
            calls.append((found["call"][0], text))
    return sorted(calls, key=lambda pair: pair[0].start_byte)


def _where_wrong(call: tree_sitter.Node, name: str, positions: Positions) -> str:
    child, node = call, call.parent
    while node is not None and node.type not in FUNCTIONS:
        reason = _conditional(node, child)
        if reason:
            return f"React Hook `{name}` is called inside {reason}: hooks must run in the same order on every render"
        child, node = node, node.parent
    if node is None:
        return ""   # top-level code: not a render at all, React reports that itself
    owner = _function_name(node)
    if owner and not (COMPONENT_NAME.match(owner) or HOOK_NAME.match(owner)):
        return (f"React Hook `{name}` is called in `{owner}`, which is neither a component (a name starting "
                f"with a capital) nor a custom hook (`use…`)")
    if not owner and not _may_be_component(node):
        return f"React Hook `{name}` is called inside a callback: call it at the top level of the component"
    early = _early_return_before(node, call)
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


def _function_name(function: tree_sitter.Node) -> str:
    name = function.child_by_field_name("name")
    parent = function.parent
    if name is None and parent is not None and parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
    return (name.text or b"").decode("utf-8", "replace") if name is not None else ""


def _may_be_component(function: tree_sitter.Node) -> bool:
    """An anonymous function is a component when it is the code's own value: a default export,
    a stored widget's lone function, or the argument of React.memo/forwardRef."""
    parent = function.parent
    if parent is None:
        return True
    if parent.type in ("export_statement", "program", "expression_statement", "parenthesized_expression"):
        return True
    if parent.type == "arguments":
        callee = parent.parent.child_by_field_name("function") if parent.parent is not None else None
        return callee is not None and (callee.text or b"").split(b".")[-1] in (b"memo", b"forwardRef")
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
