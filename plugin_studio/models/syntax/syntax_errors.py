"""Syntax errors from a tree-sitter tree, told as a person would tell them.

tree-sitter marks what it could not parse with ERROR nodes (text it skipped) and MISSING nodes
(a token it had to assume). Each becomes one problem, placed where the code went wrong and saying
what is wrong in the code's own terms: "missing `}` to close the `if` block opened at line 2",
"unexpected end of input: missing `]` to close the array opened at line 7", "expected a value
after `=`", "unterminated string". A closing brace that was taken by an inner block whose own
brace is missing (the usual case) is attributed by indentation, as a reader would.
"""
from __future__ import annotations

import functools

import tree_sitter

from plugin_studio.models.syntax.positions import Positions
from plugin_studio.models.syntax.problems import Problem, problem_at

MAX_PROBLEMS = 20
MAX_LEAVES = 20_000          # an ERROR bigger than this is described by its first token only
PAIRS = {"{": "}", "(": ")", "[": "]", "${": "}"}
CLOSERS = {"}": "{", ")": "(", "]": "["}
QUOTES = ("'", '"', "`")
OPERAND_EXPECTED = {"=", "+", "-", "*", "/", "%", "**", "&&", "||", "??", "=>", "==", "===", "!=", "!==", "<",
                    ">", "<=", ">=", "?", ":", "+=", "-=", "*=", "/=", "&", "|", "^", "<<", ">>", "...", "!",
                    "return", "new", "typeof", "await"}
ENDS = {";", ")", "]", "}", ","}
REGEX_MAY_FOLLOW = {"(", ",", "[", "{", ";", "case"}
BLOCK_OWNERS = {"if_statement": "the `if` block", "else_clause": "the `else` block", "for_statement": "the `for` loop",
                "for_in_statement": "the `for` loop", "while_statement": "the `while` loop",
                "do_statement": "the `do` loop", "try_statement": "the `try` block",
                "catch_clause": "the `catch` block", "finally_clause": "the `finally` block",
                "class_body": "the class body", "switch_statement": "the `switch`"}
FUNCTIONS = {"function_declaration", "function_expression", "generator_function_declaration",
             "generator_function", "arrow_function", "method_definition", "function"}


def syntax_problems(tree: tree_sitter.Tree, positions: Positions) -> list[Problem]:
    """The syntax errors of a parsed document, first to last, at most ``MAX_PROBLEMS``."""
    problems: list[Problem] = []
    for node in _error_nodes(tree.root_node):
        problem = _missing(node, positions) if node.is_missing else _unexpected(node, positions)
        if problem is not None and all(p.start != problem.start for p in problems):
            problems.append(problem)
        if len(problems) >= MAX_PROBLEMS:
            break
    problems += [p for p in _accepted_by_the_grammar(tree, positions) if all(q.start != p.start for q in problems)]
    return sorted(problems, key=lambda p: p.start)[:MAX_PROBLEMS]


def _error_nodes(node: tree_sitter.Node):
    """ERROR and MISSING nodes in document order; an ERROR's insides are its own business (a
    document tree-sitter could not parse at all is one ERROR: its root)."""
    if node.type == "ERROR" and node.parent is None:
        yield node
        return
    for child in node.children:
        if child.is_missing or child.type == "ERROR":
            yield child
        elif child.has_error:
            yield from _error_nodes(child)


# -- a token tree-sitter had to assume ----------------------------------------------------------
def _missing(node: tree_sitter.Node, positions: Positions) -> Problem:
    kind = node.type
    if kind in CLOSERS:
        return _missing_closer(node, positions)
    if kind == "identifier":
        before = node.prev_sibling
        if before is not None and before.type in OPERAND_EXPECTED:
            return problem_at(positions, node.start_byte, node.start_byte, f"expected a value after `{before.type}`")
        return problem_at(positions, node.start_byte, node.start_byte, "expected a name here")
    return problem_at(positions, node.start_byte, node.start_byte, f"missing `{kind}`")


def _missing_closer(node: tree_sitter.Node, positions: Positions) -> Problem:
    container, closer = node.parent, node.type
    stolen = _stolen_closer(container, CLOSERS[closer], closer, positions)
    if stolen is not None:
        opener, owner = stolen
        place = _end_of_indented_body(opener, positions)
        return problem_at(positions, place, place, f"missing `{closer}` to close {_describe(owner)} "
                                                   f"opened at line {opener.start_point.row + 1}")
    opener = next((c for c in container.children if c.type == CLOSERS[closer]), None)
    opened = f" opened at line {opener.start_point.row + 1}" if opener is not None else ""
    message = f"missing `{closer}` to close {_describe(container)}{opened}"
    if positions.source[node.start_byte:].strip():
        return problem_at(positions, node.start_byte, node.start_byte, message)
    end = len(positions.source.rstrip())   # assumed at the very end: a reader looks where the body ends
    place = _end_of_indented_body(opener, positions) if opener is not None else end
    if place >= end:
        return problem_at(positions, end, end, "unexpected end of input: " + message)
    return problem_at(positions, place, place, message)


def _stolen_closer(container: tree_sitter.Node, opener_type: str, closer: str, positions: Positions):
    """The first block inside ``container`` whose closing bracket stands left of its opening
    line's indentation: it took the bracket that closed ``container``, its own being missing."""
    for child in container.children:
        found = _stolen_closer(child, opener_type, closer, positions) if child.child_count else None
        if found is not None:
            return found
    brackets = [c for c in container.children if c.type in (opener_type, closer) and not c.is_missing]
    if len(brackets) == 2 and brackets[0].type == opener_type:
        opener, closing = brackets
        open_line, close_line = opener.start_point.row + 1, closing.start_point.row + 1
        starts_line = not positions.line_text(close_line)[:closing.start_point.column].strip()
        if close_line > open_line and starts_line and \
                positions.indentation(close_line) < positions.indentation(open_line):
            return opener, container
    return None


def _end_of_indented_body(opener: tree_sitter.Node, positions: Positions) -> int:
    """Where a reader expects the closing bracket: after the last line indented deeper than the
    opener's line (its body), before the first line that is not."""
    open_line = opener.start_point.row + 1
    depth, last = positions.indentation(open_line), open_line
    for line in range(open_line + 1, positions.line_count + 1):
        if positions.is_blank(line):
            continue
        if positions.indentation(line) <= depth:
            break
        last = line
    return positions.line_end(last)


def _describe(container: tree_sitter.Node) -> str:
    """What a bracketed node is, for a message: "the function `total`", "the array"..."""
    kind, parent = container.type, container.parent
    if kind == "statement_block" and parent is not None:
        if parent.type in FUNCTIONS:
            return _function_name(parent)
        if parent.type in BLOCK_OWNERS:
            return BLOCK_OWNERS[parent.type]
        return "the block"
    if kind == "arguments" and parent is not None:
        callee = parent.child_by_field_name("function")
        return f"the call to `{_text(callee)}`" if callee is not None else "the call"
    if kind == "formal_parameters" and parent is not None:
        return f"the parameters of {_function_name(parent)}"
    if kind == "parenthesized_expression" and parent is not None and parent.type in BLOCK_OWNERS:
        return f"the condition of the `{parent.type.split('_')[0]}`"
    names = {"object": "the object", "object_pattern": "the object pattern", "array": "the array",
             "array_pattern": "the array pattern", "class_body": "the class body", "switch_body": "the `switch`",
             "template_substitution": "the `${` in the template string", "jsx_expression": "the JSX expression",
             "named_imports": "the import list", "export_clause": "the export list",
             "subscript_expression": "the index", "parenthesized_expression": "the parenthesis"}
    return names.get(kind, "the " + kind.replace("_", " "))


def _function_name(function: tree_sitter.Node) -> str:
    if function.type == "arrow_function" and (function.parent is None or function.parent.type != "variable_declarator"):
        return "the arrow function"
    name = function.child_by_field_name("name")
    if name is None and function.parent is not None and function.parent.type == "variable_declarator":
        name = function.parent.child_by_field_name("name")
    return f"the function `{_text(name)}`" if name is not None else "the function"


def _text(node: tree_sitter.Node | None, limit: int = 40) -> str:
    if node is None or node.text is None:
        return ""
    text = node.text.decode("utf-8", "replace")
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- text tree-sitter had to skip ------------------------------------------------------------------
def _unexpected(error: tree_sitter.Node, positions: Positions) -> Problem | None:
    leaves = _leaves(error)
    if not leaves:
        return None
    first = leaves[0]
    if _text(first)[:1] in QUOTES and first.type in ("'", '"', "`", "ERROR", "string_fragment") \
            or first.type in QUOTES:
        line = first.start_point.row + 1
        return problem_at(positions, first.start_byte, positions.line_end(line),
                          f"unterminated string: missing the closing `{_text(first)[:1]}`")
    for describe in (_unterminated_comment, _unterminated_regex, _mismatched_tag, _unclosed_at_end, _stray_closer,
                     _dangling_operator, _two_values):
        problem = describe(error, leaves, positions)
        if problem is not None:
            return problem
    return problem_at(positions, first.start_byte, first.end_byte, f"unexpected `{_text(first, 30)}`")


def _leaves(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    out, stack = [], [node]
    while stack and len(out) < MAX_LEAVES:
        current = stack.pop()
        if current.child_count == 0:
            if current.end_byte > current.start_byte and current.type != "comment":
                out.append(current)
        elif current.type in ("string", "template_string", "comment", "regex") and not current.has_error:
            out.append(current)      # a whole string is one token here
        else:
            stack.extend(reversed(current.children))
    return out


def _unterminated_comment(error: tree_sitter.Node, leaves: list, positions: Positions) -> Problem | None:
    """A ``/*`` never closed: tree-sitter's lexer then reads it as a division or a regex."""
    start = next((leaf.start_byte for leaf in leaves[:3] if positions.source.startswith(b"/*", leaf.start_byte)), None)
    if start is None or b"*/" in positions.source[start + 2:]:
        return None
    return problem_at(positions, start, start + 2, "unterminated comment: missing the closing `*/`")


def _unterminated_regex(error: tree_sitter.Node, leaves: list, positions: Positions) -> Problem | None:
    """A ``/`` that starts a regular expression (where a value may start; not ``</`` of a JSX
    closing tag) whose line has no closing ``/``."""
    for index, (slash, pattern) in enumerate(zip(leaves, leaves[1:])):
        before = leaves[index - 1] if index else None
        closing_tag = before is not None and before.type == "<" and before.end_byte == slash.start_byte
        may_start_a_value = before is None or before.type in OPERAND_EXPECTED | REGEX_MAY_FOLLOW and not closing_tag
        if slash.type == "/" and pattern.type == "regex_pattern" and slash.end_byte == pattern.start_byte \
                and may_start_a_value:
            rest = positions.line_text(pattern.end_point.row + 1)[pattern.end_point.column:]
            if not rest.startswith("/"):
                return problem_at(positions, slash.start_byte, pattern.end_byte,
                                  "unterminated regular expression: missing the closing `/`")
    return None


def _unclosed_at_end(error: tree_sitter.Node, leaves: list, positions: Positions) -> Problem | None:
    if positions.source[error.end_byte:].strip():
        return None
    stack = []
    for index, leaf in enumerate(leaves):
        if leaf.type in PAIRS:
            stack.append(index)
        elif leaf.type in CLOSERS and stack and leaves[stack[-1]].type in (CLOSERS[leaf.type], "${"):
            stack.pop()
    if not stack:
        return None
    missing = [f"`{PAIRS[leaves[i].type]}` to close {_describe_opener(leaves, i)} opened at line "
               f"{leaves[i].start_point.row + 1}" for i in reversed(stack[-3:])]
    end = len(positions.source.rstrip())
    place = _end_of_indented_body(leaves[stack[-1]], positions)
    if place >= end:
        return problem_at(positions, end, end, "unexpected end of input: missing " + ", and ".join(missing))
    return problem_at(positions, place, place, "missing " + ", and ".join(missing))


def _stray_closer(error: tree_sitter.Node, leaves: list, positions: Positions) -> Problem | None:
    first = leaves[0]
    if first.type not in CLOSERS:
        return None
    return problem_at(positions, first.start_byte, first.end_byte,
                      f"unexpected `{first.type}`: there is no open `{CLOSERS[first.type]}` for it to close")


def _describe_opener(leaves: list, index: int) -> str:
    """What an opening bracket in skipped text starts, judged by the tokens before it."""
    kind = leaves[index].type
    before = [leaf.type for leaf in leaves[max(0, index - 6):index]]
    texts = [_text(leaf) for leaf in leaves[max(0, index - 6):index]]
    if kind == "[":
        return "the index" if before and before[-1] in ("identifier", ")", "]") else "the array"
    if kind == "(":
        return f"the call to `{texts[-1]}`" if before and before[-1] in ("identifier", "property_identifier") \
            else "the parenthesis"
    if kind == "${":
        return "the `${` in the template string"
    if before and before[-1] == ">" and "<" in before:
        return "the JSX expression"
    if before and before[-1] == "=>":
        return "the arrow function"
    if "function" in before:
        keyword = len(before) - 1 - before[::-1].index("function")
        named = keyword + 1 < len(before) and before[keyword + 1] == "identifier"
        return f"the function `{texts[keyword + 1]}`" if named else "the function"
    for keyword in ("if", "else", "for", "while", "try", "catch", "finally", "class", "switch"):
        if keyword in texts:
            return {"class": "the class body", "switch": "the `switch`"}.get(keyword, f"the `{keyword}` block")
    return "the object" if before and before[-1] in ("=", "(", ",", ":", "return", "[") else "the block"


def _dangling_operator(error: tree_sitter.Node, leaves: list, positions: Positions) -> Problem | None:
    last = leaves[-1]
    if last.type not in OPERAND_EXPECTED:
        return None
    following = error.next_sibling
    ends_line = not positions.line_text(last.end_point.row + 1)[last.end_point.column:].strip()
    if following is not None and (following.type in ENDS or ends_line):
        return problem_at(positions, following.start_byte, following.end_byte,
                          f"expected a value after `{_text(last)}`")
    if following is None or ends_line:
        return problem_at(positions, last.end_byte, last.end_byte, f"expected a value after `{_text(last)}`")
    return None


def _two_values(error: tree_sitter.Node, leaves: list, positions: Positions) -> Problem | None:
    following = error.next_sibling
    values = ("identifier", "number", "string", "true", "false", "null", "this", ")", "]")
    if following is None or leaves[-1].type not in values or following.start_point.row != error.end_point.row:
        return None
    return problem_at(positions, following.start_byte, following.end_byte,
                      f"missing an operator or `;` between `{_text(leaves[-1], 20)}` and `{_text(following, 20)}`")


def _mismatched_tag(error: tree_sitter.Node, leaves: list, positions: Positions) -> Problem | None:
    open_tags: list[tree_sitter.Node] = []
    for node in _jsx_tags(error):
        name = _text(node.child_by_field_name("name"))
        if node.type == "jsx_opening_element":
            open_tags.append(node)
        elif open_tags and _text(open_tags[-1].child_by_field_name("name")) == name:
            open_tags.pop()
        elif open_tags:
            opened = open_tags[-1]
            expected = _text(opened.child_by_field_name("name"))
            return problem_at(positions, node.start_byte, node.end_byte,
                              f"`</{name}>` does not close `<{expected}>` opened at line "
                              f"{opened.start_point.row + 1}: expected `</{expected}>`")
    return None


def _jsx_tags(node: tree_sitter.Node):
    for child in node.children:
        if child.type in ("jsx_opening_element", "jsx_closing_element"):
            yield child
        elif child.child_count:
            yield from _jsx_tags(child)


# -- what tree-sitter's grammar accepts and JavaScript does not ------------------------------------
def _accepted_by_the_grammar(tree: tree_sitter.Tree, positions: Positions) -> list[Problem]:
    """Errors tree-sitter's lenient grammar parses without an ERROR node, which JavaScript engines
    (and so the storefront) reject: a ``try`` without ``catch`` or ``finally``."""
    problems = []
    if not tree.language.id_for_node_kind("try_statement", True):
        return problems     # not JavaScript
    for node in _captures(tree, "(try_statement) @try", "try"):
        if node.child_by_field_name("handler") is None and node.child_by_field_name("finalizer") is None:
            body = node.child_by_field_name("body")
            problems.append(problem_at(positions, body.end_byte, body.end_byte,
                                       "missing `catch` or `finally` after the `try` block"))
    return problems


def _captures(tree: tree_sitter.Tree, pattern: str, name: str) -> list[tree_sitter.Node]:
    query = _query(tree.language, pattern)
    return tree_sitter.QueryCursor(query).captures(tree.root_node).get(name, [])


@functools.lru_cache(maxsize=16)
def _query(language: tree_sitter.Language, pattern: str) -> tree_sitter.Query:
    return tree_sitter.Query(language, pattern)
