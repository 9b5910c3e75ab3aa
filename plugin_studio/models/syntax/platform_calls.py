"""Hook and event names in code: ``hookSystem.apply('cart.processLoadedItems', …)``,
``eventSystem.on('cart.viewed', …)`` and their kin, found in the syntax tree, and the warning for
a name nothing knows (not called by the platform, not defined by any plugin) with a quick fix to
the nearest known name.
"""
from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from plugin_studio.models.platform_names import nearest
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


# Member calls whose first argument is a plain string: found by tree-sitter itself (a Python walk of
# every node costs ~150 ms at 100 KB).
CALLS_WITH_A_NAME = """
(call_expression
  function: (member_expression object: (_) @receiver property: (property_identifier) @method)
  arguments: (arguments . (string (string_fragment) @name)))
"""
_QUERIES: dict = {}


def name_uses(tree: tree_sitter.Tree) -> list[NameUse]:
    """Every literal hook/event name passed to the hook or event system, in document order."""
    language = tree.language
    if language not in _QUERIES:
        _QUERIES[language] = tree_sitter.Query(language, CALLS_WITH_A_NAME)
    uses = []
    for _pattern, found in tree_sitter.QueryCursor(_QUERIES[language]).matches(tree.root_node):
        use = _use(found["receiver"][0], found["method"][0], found["name"][0])
        if use is not None:
            uses.append(use)
    return sorted(uses, key=lambda u: u.start)


def _use(receiver: tree_sitter.Node, method: tree_sitter.Node, name: tree_sitter.Node) -> NameUse | None:
    method_name = (method.text or b"").decode("utf-8", "replace")
    receiver_name = (receiver.text or b"").decode("utf-8", "replace").lower()
    if method_name in HOOK_METHODS and "hook" in receiver_name:
        kind = "hook"
    elif method_name in EVENT_METHODS and "event" in receiver_name:
        kind = "event"
    else:
        return None
    return NameUse((name.text or b"").decode("utf-8", "replace"), kind, method_name, name.start_byte, name.end_byte)


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
