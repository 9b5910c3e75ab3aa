"""All the editor's own checks of one document, as one function a background job runs: syntax
errors (tree-sitter), hook and event names nobody knows, React's rules of hooks."""
from __future__ import annotations

import tree_sitter

from plugin_studio.models.syntax.platform_calls import name_uses, unknown_name_problems
from plugin_studio.models.syntax.positions import Positions
from plugin_studio.models.syntax.problems import Problem
from plugin_studio.models.syntax.react_rules import hook_rule_problems
from plugin_studio.models.syntax.syntax_errors import syntax_problems

SCRIPT_LANGUAGES = ("javascript", "jsx")


def diagnose(source: bytes, tree: tree_sitter.Tree, language: str, known: dict[str, set[str]],
             on_syntax=None, checkpoint=None) -> list[Problem]:
    """Problems of ``source`` (UTF-8) parsed as ``tree``. ``known``: {"hook": names, "event": names}
    (``KnownNames.for_check``). Sorted by position. ``on_syntax(problems)`` gets the syntax errors
    first: they take ~10 ms where the other checks walk the whole tree (~100 ms at 1 MB).
    ``checkpoint()`` is called between the checks (a background job stops there by raising)."""
    positions = Positions(source)
    problems = syntax_problems(tree, positions)
    if on_syntax is not None:
        on_syntax(problems)
    if language in SCRIPT_LANGUAGES:
        for check in (lambda: unknown_name_problems(name_uses(tree, source), known, positions),
                      lambda: hook_rule_problems(tree, positions)):
            if checkpoint is not None:
                checkpoint()
            problems += check()
    return sorted(problems, key=lambda p: (p.start, p.severity != "error"))
