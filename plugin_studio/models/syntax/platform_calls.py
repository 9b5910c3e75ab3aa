"""Hook and event names in code: ``hookSystem.apply('cart.processLoadedItems', …)``,
``eventSystem.on('cart.viewed', …)`` and their kin, found in the syntax tree, and the warning for
a name nothing knows (not called by the platform, not defined by any plugin) with a quick fix to
the nearest known name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from plugin_studio.models.platform_names import nearest
from plugin_studio.models.syntax.locate import is_node, path_to, word_spans
from plugin_studio.models.syntax.positions import Positions
from plugin_studio.models.syntax.problems import Problem, QuickFix, problem_at

HOOK_METHODS = {"apply", "applyAsync", "do", "doAsync", "register", "unregister", "hasHandlers"}
EVENT_METHODS = {"emit", "emitAsync", "on", "once", "off", "hasListeners", "removeAllListeners"}


@dataclass(frozen=True)
class NameUse:
    """A hook or event name written in code. ``start``/``end``: the bytes of the name inside its
    quotes. ``kind``: hook | event; ``method``: the call (``apply``, ``on``…)."""
    name: str
    kind: str
    method: str
    start: int
    end: int


_METHOD_WORD = re.compile(rb"(?:" + b"|".join(sorted(m.encode() for m in HOOK_METHODS | EVENT_METHODS)) + rb")\b")


def name_uses(tree: tree_sitter.Tree, source: bytes) -> list[NameUse]:
    """Every literal hook/event name passed to the hook or event system, in document order: a
    member call ``receiver.method('name', …)`` whose first argument is a plain string. The
    methods' names are found in the text and the tree says which are such calls (``locate``: why)."""
    uses = []
    for start, end in word_spans(source, _METHOD_WORD):
        path = path_to(tree, start, end)
        found = _call_with_a_name(path, start, end)
        if found is not None:
            use = _use(source, *found)
            if use is not None:
                uses.append(use)
    return uses


def _call_with_a_name(path: list[tree_sitter.Node], start: int, end: int):
    """(receiver, method, name) when ``path`` ends at the method of such a call, else None."""
    method = path[-1]
    if method.type != "property_identifier" or (method.start_byte, method.end_byte) != (start, end) \
            or len(path) < 3:
        return None
    member, call = path[-2], path[-3]
    if member.type != "member_expression" or not is_node(member.child_by_field_name("property"), method) \
            or call.type != "call_expression" or not is_node(call.child_by_field_name("function"), member):
        return None
    arguments = call.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments is not None and arguments.named_child_count else None
    fragment = first.named_children[0] if first is not None and first.type == "string" and first.named_child_count \
        else None
    if fragment is None or fragment.type != "string_fragment":
        return None
    return member.child_by_field_name("object"), method, fragment


def _use(source: bytes, receiver: tree_sitter.Node, method: tree_sitter.Node,
         name: tree_sitter.Node) -> NameUse | None:
    method_name = _text(source, method)
    receiver_name = _text(source, receiver).lower()
    if method_name in HOOK_METHODS and "hook" in receiver_name:
        kind = "hook"
    elif method_name in EVENT_METHODS and "event" in receiver_name:
        kind = "event"
    else:
        return None
    return NameUse(_text(source, name), kind, method_name, name.start_byte, name.end_byte)


def _text(source: bytes, node: tree_sitter.Node) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace")


def unknown_name_problems(uses: list[NameUse], known: dict[str, set[str]], positions: Positions) -> list[Problem]:
    """A warning for each use whose name is in none of ``known["hook"]`` / ``known["event"]``,
    offering the nearest known name of its kind as a quick fix."""
    problems = []
    for use in uses:
        names = known.get(use.kind, set())
        if use.name in names:
            continue
        what = "a hook" if use.kind == "hook" else "an event"
        guess = nearest(use.name, names)
        message = f"`{use.name}` is not {what} the platform calls or any plugin defines"
        fixes = ()
        if guess:
            message += f"; did you mean `{guess}`?"
            fixes = (QuickFix(f"Change to '{guess}'", use.start, use.end, guess),)
        problems.append(problem_at(positions, use.start, use.end, message, "warning", "names", fixes))
    return problems


def row_name_problems(name: str, kind: str, known: dict[str, set[str]], positions: Positions) -> list[Problem]:
    """A warning at the top of a handler whose own row's hook/event name nothing calls: the
    handler never runs. Renaming is a change of the row, not of the code (Edit Event…, Rename)."""
    names = known.get(kind, set())
    if not name or name in names:
        return []
    what = "hook" if kind == "hook" else "event"
    guess = nearest(name, names)
    hint = f"; did you mean `{guess}`?" if guess else ""
    message = (f"this handler is registered for the {what} `{name}`, which the platform never "
               f"{'applies' if kind == 'hook' else 'emits'} and no plugin calls: it never runs{hint}")
    return [problem_at(positions, 0, positions.line_end(1), message, "warning", "names")]
