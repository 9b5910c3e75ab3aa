"""Parse-only syntax checks for the editor, and the storefront-shape lint."""
from __future__ import annotations

import pytest

from plugin_studio.runner.syntax import CodeProblem, check_syntax, check_syntax_many, lint_platform_shape
from test_chain import SHAPES


@pytest.mark.parametrize("code", SHAPES.values(), ids=SHAPES.keys())
def test_every_handler_shape_parses(host, code):
    assert check_syntax(host, code) == []


def test_syntax_check_runs_no_code(host):
    assert check_syntax(host, "while (true) {}\nthrow new Error('ran')") == []


def test_code_that_closes_the_wrapper_early_is_only_parsed(host):
    """QuickJS compiles without evaluating: a loop placed outside the wrapper never starts."""
    restarts = host.restarts
    check_syntax(host, "}); while (true) {} (function () {")
    assert host.restarts == restarts and check_syntax(host, "p => p") == []


def test_es_module_with_import_and_export_parses(host):
    code = ("import { formatPrice } from '../utils/format.js';\nimport * as all from 'lib';\n"
            "export const label = 'export default';\nexport function show(a) { return formatPrice(a) }\n"
            "export { all };\nexport default show;\n")
    assert check_syntax(host, code) == []


@pytest.mark.parametrize("code,line,column,words", [
    ("function (v) {\n  return v +;\n}", 2, 13, "unexpected token"),
    ("// header\nconst a = 1;\nconst b = ;", 3, 11, "unexpected token"),
    ("import x from './x';\nexport default function () {\n  return x +;\n}", 3, 13, "unexpected token"),
    ("import a from 'a';\n\nexport const b = 1;\nexport function c() {\n  return {a: };\n}", 5, 14, "unexpected token"),
    ("export const rate = ;\n", 1, 21, "unexpected token"),
    ("const s = `unterminated", 1, 24, "unexpected end of string"),  # at the end of the code
])
def test_syntax_error_has_line_column_and_message(host, code, line, column, words):
    [problem] = check_syntax(host, code)
    assert (problem.line, problem.column) == (line, column)
    assert words in problem.message.lower() and problem.severity == "error"


def test_optional_chaining_and_nullish_in_an_es_module_pass_the_check(host):
    """QuickJS parses ``?.`` and ``??``; the check used to fail them because it ran Babel 6."""
    assert check_syntax(host, "import a from './a';\nexport const f = (o) => o?.a ?? a;") == []
    [problem] = check_syntax(host, "import a from './a';\nexport const f = (o) => o?.a ?? ;")
    assert problem.line == 2


def test_jsx_goes_through_the_jsx_compile(host):
    assert check_syntax(host, "export default () => <div className='a'>{1}</div>;", "jsx") == []
    [problem] = check_syntax(host, "const a = 1;\nconst b = <div>{1</div>;", "jsx")
    assert (problem.line, problem.message) == (2, "Unterminated regular expression")  # Babel's words
    [problem] = check_syntax(host, "const a = <div>;", "jsx")
    assert problem.line == 1


def test_json(host):
    assert check_syntax(host, '{"a": 1,}', "json")[0] == CodeProblem(1, 9, "Expecting property name enclosed in double quotes")


def test_many_files_in_one_call_give_what_one_by_one_gives(host):
    items = [("p => p", "javascript"), ("const a = ;", "javascript"), ("const b = <div>{1</div>;", "jsx"),
             ('{"a": }', "json"), ("a { color: red", "css"), ("import x from 'x';\nexport default x +;", "javascript"),
             ("export default () => <b/>;", "jsx")]
    assert check_syntax_many(host, items) == [check_syntax(host, code, language) for code, language in items]
    assert [bool(p) for p in check_syntax_many(host, items)] == [False, True, True, True, False, True, False]


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
