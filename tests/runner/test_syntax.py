"""Parse-only syntax checks for the editor, and the storefront-shape lint."""
from __future__ import annotations

import pytest

from plugin_studio.runner.syntax import CodeProblem, check_syntax, lint_platform_shape
from test_chain import SHAPES


@pytest.mark.parametrize("code", SHAPES.values(), ids=SHAPES.keys())
def test_every_handler_shape_parses(host, code):
    assert check_syntax(host, code) == []


def test_syntax_check_runs_no_code(host):
    assert check_syntax(host, "while (true) {}\nthrow new Error('ran')") == []


@pytest.mark.parametrize("code,line,column,words", [
    ("function (v) {\n  return v +;\n}", 2, 13, "unexpected token"),
    ("// header\nconst a = 1;\nconst b = ;", 3, 11, "unexpected token"),
    ("import x from './x';\nexport default function () {\n  return x +;\n}", 3, 13, "unexpected token"),
    ("const s = `unterminated", 1, 24, "unexpected end of string"),  # at the end of the code
])
def test_syntax_error_has_line_column_and_message(host, code, line, column, words):
    [problem] = check_syntax(host, code)
    assert (problem.line, problem.column) == (line, column)
    assert words in problem.message and problem.severity == "error"


def test_modern_syntax_in_an_es_module_reports_the_transform_limit(host):
    [problem] = check_syntax(host, "export const f = (o) => o?.a ?? 1;")
    assert "ES module transform" in problem.message and problem.line == 1


def test_jsx_and_json(host):
    assert check_syntax(host, "export default () => <div className='a'>{1}</div>;", "jsx") == []
    [problem] = check_syntax(host, "const a = <div>;", "jsx")
    assert problem.line == 1
    assert check_syntax(host, '{"a": 1,}', "json")[0] == CodeProblem(1, 9, "Expecting property name enclosed in double quotes")


@pytest.mark.parametrize("code", [
    "function (p) { return p }",
    "// note\nexport default async function named(p) {\n  return p;\n};",
    "export default (p) => { return p };",
    "p => p * 2",
])
def test_platform_shape_lint_accepts_a_lone_function_expression(code):
    assert lint_platform_shape(code) == []


@pytest.mark.parametrize("code,line,words", [
    ("module.exports = function (p) { return p };", 1, "module.exports"),
    ("const rate = 0.9;\nexport default function (p) { return p * rate }", 2, "import/export"),
    ("export default function (p) { return helper(p) }\nfunction helper(p) { return p }", 2, "code after the function"),
    ("const x = 'function () {}';", 1, "expects a function expression"),
])
def test_platform_shape_lint_warns_where_the_storefront_would_fail(code, line, words):
    [problem] = lint_platform_shape(code)
    assert problem.severity == "warning" and problem.line == line and words in problem.message
