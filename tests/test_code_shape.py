"""Code shape rules (STYLE.md "Size and naming"): no module of plugin_studio/ past 500 lines.

Run as a script, it prints the median and p90 function length (lines, decorators excluded,
nested functions counted on their own) to compare a change against main.
"""
from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plugin_studio"
MAX_MODULE_LINES = 500


def module_lengths(root: Path = PACKAGE) -> dict[str, int]:
    return {str(p.relative_to(root)): len(p.read_text(encoding="utf-8").splitlines()) for p in root.rglob("*.py")}


def function_lengths(root: Path = PACKAGE) -> list[int]:
    lengths = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lengths.append(node.end_lineno - node.lineno + 1)
    return lengths


def p90(values: list[int]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def test_no_module_is_longer_than_500_lines():
    too_long = {name: n for name, n in module_lengths().items() if n > MAX_MODULE_LINES}
    assert too_long == {}


def test_the_length_rule_sees_a_long_module(tmp_path):
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert module_lengths(tmp_path) == {"long.py": MAX_MODULE_LINES + 1}


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE
    lengths = function_lengths(root)
    print(f"{len(lengths)} functions: median {statistics.median(lengths)}, p90 {p90(lengths):.1f} lines")
