"""Completion, signature help and hover for plugin code: what to offer at the caret, decided from
the text just before it, and where each offer comes from.

Contexts (most specific first): a hook or event name being typed as the first argument of
``hookSystem.apply(…`` / ``eventSystem.on(…``; a module path in ``require('…`` or ``from '…``;
a member after ``React.``, ``pluginData.``, ``hookSystem.``/``eventSystem.``, ``config.``,
``slotData.`` or after a name bound to one of the plugin's own modules; a key deeper in ``config``
or ``slotData`` (``slotData.cart.``) as the samples have it (the widget's ``default_config``, the
preview's slot samples); otherwise a name: the file's own identifiers, React's hooks, the globals
plugin code has.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from plugin_studio.models.platform_names import KnownNames
from plugin_studio.models.syntax.js_api import (
    EVENT_SYSTEM, HOOK_SYSTEM, NAME_ARGUMENT_METHODS, PLUGIN_DATA, REACT, SLOT_DATA, ApiEntry,
)
from plugin_studio.models.syntax.modules import module_exports, module_name, required_modules

NAME_ARGUMENT = re.compile(r"(\w*(?:hook|event)\w*)\.(\w+)\(\s*(['\"`])([\w.:-]*)$", re.IGNORECASE)
MODULE_PATH = re.compile(r"(?:\brequire\(\s*|\bfrom\s+|\bimport\s+)(['\"])([^'\"]*)$")
MEMBER = re.compile(r"([A-Za-z_$][\w$]*)\.([\w$]*)$")
DATA_PATH = re.compile(r"(?<![\w$.])(config|slotData)((?:\.[A-Za-z_$][\w$]*)+)\.([\w$]*)$")
WORD = re.compile(r"[\w$]*$")
IDENTIFIER = re.compile(rb"[A-Za-z_$][\w$]*")
GLOBALS = ("React", "pluginData", "hookSystem", "eventSystem", "console", "window", "document", "localStorage",
           "sessionStorage", "fetch", "require", "module", "exports", "setTimeout", "clearTimeout", "Promise", "JSON",
           "Math", "Date")
KEYWORDS = ("async", "await", "break", "case", "catch", "class", "const", "continue", "default", "delete", "else",
            "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "let",
            "new", "null", "return", "switch", "this", "throw", "true", "try", "typeof", "undefined", "var", "while")


@dataclass(frozen=True)
class Completion:
    """One offer: ``label`` is inserted; ``kind`` shows what it is; ``detail`` is its signature."""
    label: str
    kind: str
    detail: str = ""
    documentation: str = ""


@dataclass
class CompletionSources:
    """What the plugin around the file offers: names (``KnownNames``), the widget's config keys
    (its ``default_config``), its modules ({module name: code}, module names as ``require``
    resolves them: ``utils/format_price``), and sample values of ``config`` and ``slotData``
    ({"config" | "slotData": ((sample name, value), …)}) for the keys deeper down."""
    known: KnownNames = field(default_factory=KnownNames)
    config_keys: tuple[str, ...] = ()
    modules: dict[str, str] = field(default_factory=dict)
    samples: dict[str, tuple[tuple[str, dict], ...]] = field(default_factory=dict)


def complete(before: str, source: bytes, sources: CompletionSources) -> tuple[int, list[Completion]]:
    """(length of the typed prefix the choice replaces, offers) for the text ``before`` the caret
    on its line; ``source`` is the whole document (UTF-8)."""
    match = NAME_ARGUMENT.search(before)
    if match and match.group(2) in NAME_ARGUMENT_METHODS:
        kind = NAME_ARGUMENT_METHODS[match.group(2)]
        prefix = match.group(4)
        names = sorted(sources.known.names(kind))
        return len(prefix), [Completion(n, kind, "", sources.known.describe(n)) for n in names if _fits(n, prefix)]
    match = MODULE_PATH.search(before)
    if match:
        prefix = match.group(2)
        return len(prefix), [Completion("./" + name, "module") for name in sorted(sources.modules)
                             if _fits("./" + name, prefix) or _fits(name, prefix)]
    match = DATA_PATH.search(before)
    if match:
        path = match.group(2).split(".")[1:]
        return len(match.group(3)), _data_keys(match.group(1), path, match.group(3), sources)
    match = MEMBER.search(before)
    if match:
        return len(match.group(2)), _members(match.group(1), match.group(2), source, sources)
    prefix = WORD.search(before).group()
    return len(prefix), _names(prefix, source)


def _fits(candidate: str, prefix: str) -> bool:
    return candidate.lower().startswith(prefix.lower()) or (len(prefix) > 1 and prefix.lower() in candidate.lower())


def _api(entries: dict[str, ApiEntry], prefix: str) -> list[Completion]:
    return [Completion(e.name, e.kind, e.signature, e.doc) for e in entries.values() if _fits(e.name, prefix)]


def _members(owner: str, prefix: str, source: bytes, sources: CompletionSources) -> list[Completion]:
    lowered = owner.lower()
    if owner == "React":
        return _api(REACT, prefix)
    if owner == "pluginData":
        return _api(PLUGIN_DATA, prefix)
    if "hook" in lowered:
        return _api(HOOK_SYSTEM, prefix)
    if "event" in lowered:
        return _api(EVENT_SYSTEM, prefix)
    if owner == "config":
        return [Completion(k, "property", "config." + k, "from the widget's default_config")
                for k in sources.config_keys if _fits(k, prefix)]
    if owner == "slotData":
        return [Completion(k, "property", "slotData." + k, "passed by the storefront's slot renderer (PLATFORM.md §7.1)")
                for k in SLOT_DATA if _fits(k, prefix)]
    module = required_modules(source.decode("utf-8", "replace")).get(owner)
    code = sources.modules.get(module_name(module)) if module else None
    if code is None:
        return []
    return [Completion(e.name, "export", e.signature, f"exported by {module}") for e in module_exports(code)
            if _fits(e.name, prefix)]


def _data_keys(root: str, path: list[str], prefix: str, sources: CompletionSources) -> list[Completion]:
    """The keys under ``root.path…`` in the samples, each with its value in the first sample that has it."""
    offers: dict[str, Completion] = {}
    for sample_name, value in sources.samples.get(root, ()):
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, dict):
            continue
        for key, inner in value.items():
            if key not in offers and _fits(key, prefix):
                offers[key] = Completion(key, "property", f"{root}.{'.'.join(path)}.{key}: {_shown(inner)}",
                                         f"as in the sample “{sample_name}”")
    return list(offers.values())


def _shown(value) -> str:
    """A sample value in a few characters (its JSON-like text, shortened)."""
    text = "{…}" if isinstance(value, dict) else "[…]" if isinstance(value, list) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _names(prefix: str, source: bytes) -> list[Completion]:
    if not prefix:
        return []
    own = sorted({m.group().decode() for m in IDENTIFIER.finditer(source)} - {prefix})
    offers = [Completion(n, "hook", REACT[n].signature, REACT[n].doc) for n in REACT if n.startswith("use")]
    offers += [Completion(n, "global") for n in GLOBALS] + [Completion(n, "keyword") for n in KEYWORDS]
    seen = {o.label for o in offers}
    offers += [Completion(n, "name") for n in own if n not in seen]
    return [o for o in offers if o.label.startswith(prefix) and o.label != prefix]


def signature_at(before: str, source: bytes, sources: CompletionSources) -> str | None:
    """The signature of the call the caret is in (text ``before`` it), for a calltip; None if unknown."""
    depth, index = 0, len(before) - 1
    while index >= 0:
        char = before[index]
        if char == ")":
            depth += 1
        elif char == "(":
            if depth == 0:
                return describe_callee(before[:index], source, sources)
            depth -= 1
        index -= 1
    return None


def describe_callee(text: str, source: bytes, sources: CompletionSources) -> str | None:
    """Signature and documentation of the name ending ``text`` (``React.useState``, ``fmt.money``)."""
    match = MEMBER.search(text)
    if match:
        owner, name = match.groups()
        found = [c for c in _members(owner, name, source, sources) if c.label == name]
        return f"{found[0].detail}\n{found[0].documentation}".strip() if found else None
    name = WORD.search(text).group()
    if name in REACT:
        return f"{REACT[name].signature}\n{REACT[name].doc}"
    return None
