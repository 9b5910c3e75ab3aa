"""A plugin's own modules as its code uses them: what a file requires or imports, what a module
exports, and which row a module path names — resolved as the platform's loader resolves
``require`` (PLATFORM.md §3.3: a leading ``./`` and a trailing ``.js`` are ignored)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from plugin_studio.models.syntax.grammars import grammar_for

BINDINGS = (
    re.compile(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\(\s*['\"]([^'\"]+)['\"]\s*\)"),
    re.compile(r"\bimport\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from\s+['\"]([^'\"]+)['\"]"),
)


@dataclass(frozen=True)
class Export:
    name: str
    signature: str
    line: int   # 1-based, in the module's code


def module_name(path: str) -> str:
    """``./utils/format_price.js`` → ``utils/format_price`` (the loader's normalizeModulePath)."""
    path = path.strip()
    path = path[2:] if path.startswith("./") else path
    return path[:-3] if path.endswith(".js") else path


def required_modules(code: str) -> dict[str, str]:
    """{local name: module path} for ``const x = require('…')`` and ``import x from '…'``."""
    found = {}
    for pattern in BINDINGS:
        for match in pattern.finditer(code):
            found[match.group(1)] = match.group(2)
    return found


def module_exports(code: str) -> list[Export]:
    """What a module exports: ``export function/const``, ``exports.x =``, ``module.exports = {…}``."""
    source = code.encode("utf-8")
    tree = tree_sitter.Parser(grammar_for("javascript").language).parse(source)
    exports: dict[str, Export] = {}
    for statement in tree.root_node.named_children:
        for export in _exports_of(statement):
            exports.setdefault(export.name, export)
    return list(exports.values())


def _exports_of(statement: tree_sitter.Node) -> list[Export]:
    if statement.type == "export_statement":
        declaration = statement.child_by_field_name("declaration")
        return _declared(declaration) if declaration is not None else []
    if statement.type == "expression_statement" and statement.named_children:
        expression = statement.named_children[0]
        if expression.type == "assignment_expression":
            return _assigned(expression)
    return []


def _declared(declaration: tree_sitter.Node) -> list[Export]:
    if declaration.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
        return [_export(declaration.child_by_field_name("name"), declaration)]
    if declaration.type in ("lexical_declaration", "variable_declaration"):
        return [_export(d.child_by_field_name("name"), d.child_by_field_name("value") or d)
                for d in declaration.named_children if d.type == "variable_declarator"]
    return []


def _assigned(assignment: tree_sitter.Node) -> list[Export]:
    left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
    target = _text(left)
    if target in ("module.exports", "exports") and right is not None and right.type == "object":
        return [_export(p.child_by_field_name("key") or p, p.child_by_field_name("value") or p)
                for p in right.named_children if p.type in ("pair", "shorthand_property_identifier", "method_definition")]
    if target.startswith(("exports.", "module.exports.")):
        return [_export(left.child_by_field_name("property"), right)]
    return []


def _export(name: tree_sitter.Node | None, value: tree_sitter.Node) -> Export:
    label = _text(name)
    parameters = value.child_by_field_name("parameters") if value is not None else None
    if parameters is None and value is not None and value.type == "arrow_function":
        parameters = value.child_by_field_name("parameter")
    signature = f"{label}{_text(parameters)}" if parameters is not None else label
    if parameters is not None and not signature.endswith(")"):
        signature = f"{label}({_text(parameters)})"
    return Export(label, signature, (name or value).start_point.row + 1)


def _text(node: tree_sitter.Node | None) -> str:
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""
