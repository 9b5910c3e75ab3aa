"""The conformance corpus: widgets run in the preview, checkpoint by checkpoint, against what React 18
rendered for them in Node.js (``expected.json``, written by ``generate.mjs``).

A case file starts with directive lines (see ``case_format.cjs``), then the widget's code. Each
checkpoint holds the tree (ids left out), the widget's ``console.log``/``console.info`` lines, and
for ``@html`` cases the HTML react-dom/server writes for the elements shown.

    python tests/widgets/conformance/corpus.py [NAME_FRAGMENT]    # prints each case's result
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
EXPECTED = HERE / "expected.json"
_DIRECTIVE = re.compile(r"^// @(\w+)\s*(.*)$")


@dataclass
class Case:
    name: str
    code: str
    jsx: bool = False
    html: bool = False
    config: dict = field(default_factory=dict)
    slot_data: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)
    about: str = ""


def parse_case(name: str, text: str) -> Case:
    case = Case(name, "")
    lines = text.split("\n")
    index = 0
    for index, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if not match:
            break
        key, value = match.groups()
        if key in ("jsx", "html"):
            setattr(case, key, True)
        elif key == "step":
            case.steps.append(json.loads(value))
        elif key == "config":
            case.config = json.loads(value)
        elif key == "slotData":
            case.slot_data = json.loads(value)
        elif key == "about":
            case.about = value
        else:
            raise ValueError(f"{name}: unknown directive @{key}")
    case.code = "\n".join(lines[index:])
    return case


def load_cases() -> list[Case]:
    return [parse_case(p.name, p.read_text(encoding="utf-8")) for p in sorted(CASES.iterdir())]


def expected_checkpoints() -> dict[str, list[dict]]:
    return {name: entry["checkpoints"] for name, entry in json.loads(EXPECTED.read_text(encoding="utf-8"))["cases"].items()}


# ---- finding an element as document.querySelectorAll(selector)[index] would -------------------

_SIMPLE = re.compile(r"^([a-zA-Z][\w-]*)?((?:[#.][\w-]+)*)$")


def matches(node: dict, selector: str) -> bool:
    match = _SIMPLE.match(selector)
    if not match:
        raise ValueError(f"unsupported selector {selector!r}")
    tag, rest = match.group(1), match.group(2)
    if tag and node["type"] != tag:
        return False
    classes = str(node["props"].get("className") or "").split()
    for kind, value in re.findall(r"([#.])([\w-]+)", rest):
        if kind == "#" and node["props"].get("id") != value:
            return False
        if kind == "." and value not in classes:
            return False
    return True


def find(tree: list, selector: str) -> dict:
    css, _, index = selector.partition("@")
    found = [n for n in elements(tree) if matches(n, css)]
    position = int(index or 0)
    if position >= len(found):
        raise LookupError(f"no element {selector}")
    return found[position]


def elements(tree: list):
    for node in tree:
        if isinstance(node, dict):
            yield node
            yield from elements(node["children"])


def without_ids(tree: list) -> list:
    out = []
    for node in tree:
        if isinstance(node, str):
            out.append(node)
            continue
        plain = {"type": node["type"], "props": node["props"], "children": without_ids(node["children"])}
        if "dom" in node:
            plain["dom"] = node["dom"]
        out.append(plain)
    return out


# ---- running a case in the preview ------------------------------------------------------------

def console_lines(result: dict) -> list[str]:
    return [e["message"] for e in result.get("log") or [] if e.get("kind") == "console" and e.get("level") in ("log", "info")]


def run_case(engine, case: Case) -> list[dict]:
    """The case's checkpoints as the preview produces them (one plugin interpreter per case)."""
    root, plugin = f"corpus:{case.name}", f"corpus:{case.name}"
    result = engine.render(root, case.code, plugin, case.config, case.slot_data)
    checkpoints = [checkpoint(engine, root, result, case)]
    mounted = True
    for step in case.steps:
        if not mounted:
            checkpoints.append({"tree": [], "log": []})
            continue
        result = perform(engine, root, plugin, case, step, result["tree"])
        mounted = not step.get("unmount")
        checkpoints.append(checkpoint(engine, root, result, case, mounted))
    if mounted:
        engine.unmount(root)
    return checkpoints


def checkpoint(engine, root: str, result: dict, case: Case, mounted: bool = True) -> dict:
    point = {"tree": without_ids(result["tree"]), "log": console_lines(result)}
    if case.html:
        point["html"] = engine.html(root)["html"] if mounted else ""
    if result.get("errors"):
        point["errors"] = [e.get("message") for e in result["errors"]]
    return point


def perform(engine, root: str, plugin: str, case: Case, step: dict, tree: list) -> dict:
    for kind in ("click", "focus", "blur"):
        if kind in step:
            return engine.event(root, find(tree, step[kind])["id"], kind)
    if "input" in step or "change" in step:
        kind = "input" if "input" in step else "change"
        return engine.event(root, find(tree, step[kind])["id"], kind, {"value": step["value"]})
    if "keydown" in step:
        return engine.event(root, find(tree, step["keydown"])["id"], "keydown", {"key": step["key"]})
    if "window" in step:
        return engine.dispatch_window(root, step["window"], step.get("detail"))
    if "advance" in step:
        return engine.advance(root, step["advance"])
    if "config" in step:
        return engine.render(root, case.code, plugin, step["config"], case.slot_data)
    if step.get("unmount"):
        return engine.unmount(root)
    raise ValueError(f"unknown step {step}")


def compare(actual: list[dict], expected: list[dict]) -> str | None:
    """None when every checkpoint matches, else the first difference in words."""
    if len(actual) != len(expected):
        return f"{len(actual)} checkpoints, expected {len(expected)}"
    for index, (mine, theirs) in enumerate(zip(actual, expected)):
        for key in ("tree", "log", "html"):
            if key in theirs and mine.get(key) != theirs[key]:
                return (f"checkpoint {index} {key}: got {json.dumps(mine.get(key))[:400]} "
                        f"expected {json.dumps(theirs[key])[:400]}" + (f" errors {mine['errors']}" if mine.get("errors") else ""))
    return None


def main(argv: list[str]) -> int:
    from plugin_studio.runner.ops_widgets import WidgetEngine

    fragment = argv[0] if argv else ""
    expected = expected_checkpoints()
    engine = WidgetEngine()
    failed = 0
    for case in load_cases():
        if fragment not in case.name:
            continue
        try:
            problem = compare(run_case(engine, case), expected[case.name])
        except Exception as exc:  # a report of every case, whatever goes wrong in one
            problem = f"{type(exc).__name__}: {exc}"
        failed += problem is not None
        print(f"{'ok  ' if problem is None else 'FAIL'} {case.name}" + (f"\n     {problem}" if problem else ""))
    print(f"{failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
