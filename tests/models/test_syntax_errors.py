"""Syntax errors told as a person would, at the line:column where the code went wrong; columns
count characters, so tabs, CRLF line ends and emoji don't shift them. The samples are the
messages the issue found wrong (an unfinished function after an export, a missing `}`, a missing
value reported at column 1, a squiggle shifted by tabs) and more of each kind."""
from __future__ import annotations

import pytest
import tree_sitter

from plugin_studio.models.platform_names import KNOWN, KnownNames
from plugin_studio.models.syntax.diagnose import diagnose
from plugin_studio.models.syntax.grammars import grammar_for
from plugin_studio.models.syntax.positions import Positions
from plugin_studio.models.syntax.syntax_errors import syntax_problems


def problems_of(code: str, language: str = "jsx"):
    source = code.encode("utf-8")
    tree = tree_sitter.Parser(grammar_for(language).language).parse(source)
    return syntax_problems(tree, Positions(source))


def only(code: str, language: str = "jsx") -> tuple[int, int, str]:
    found = problems_of(code, language)
    assert len(found) == 1, [p.label for p in found]
    return found[0].line, found[0].column, found[0].message


UNFINISHED_AFTER_EXPORT = ("import { money } from './utils/format';\n"
                           "export function total(items) {\n  return items.length;\n}\n\n"
                           "export function t(a) {\nreturn [a")


@pytest.mark.parametrize("code, expected", [
    (UNFINISHED_AFTER_EXPORT,
     (7, 10, "unexpected end of input: missing `]` to close the array opened at line 7, "
             "and `}` to close the function `t` opened at line 6")),
    ("import x from './x';\n\nexport function total(items) {\n  let sum = 0;\n  for (const item of items) {\n"
     "    sum += item.price;\n  }\n  return sum;\n\nexport function other() {\n  return 1;\n}\n",
     (8, 14, "missing `}` to close the function `total` opened at line 3")),
    ("export default function (price) {\n  if (price > 10) {\n    return price * 0.9;\n\n  return price;\n}\n",
     (3, 24, "missing `}` to close the `if` block opened at line 2")),
    ('const s = "ab";  const x = ;', (1, 28, "expected a value after `=`")),
    ("export default function (price) {\n  return price *;\n}\n", (2, 17, "expected a value after `*`")),
    ("const a = {\n  b: 1,\n  c: 2\n\nfunction f() {}\n", (3, 7, "missing `}` to close the object opened at line 1")),
    ("foo(1, 2;\nbar();\n", (1, 9, "missing `)` to close the call to `foo` opened at line 1")),
    ("if (x {\n  y();\n}\n", (1, 6, "missing `)` to close the condition of the `if` opened at line 1")),
    ("const s = 'abc\nconst t = 1;\n", (1, 11, "unterminated string: missing the closing `'`")),
    ("function a() {\n  return 1;\n}\n}\n", (4, 1, "unexpected `}`: there is no open `{` for it to close")),
    ("let a = 1\nlet b = 2 3\n", (2, 11, "missing an operator or `;` between `2` and `3`")),
    ("const el = <div><span>hi</div>;\n",
     (1, 25, "`</div>` does not close `<span>` opened at line 1: expected `</span>`")),
    # a whole document tree-sitter could not parse (its root is the ERROR)
    ("switch (x) {\n  case 1:\n    y();\n",
     (3, 9, "unexpected end of input: missing `}` to close the `switch` opened at line 1")),
    ("/* the price rules\nconst rate = 0.5;\n", (1, 1, "unterminated comment: missing the closing `*/`")),
    ("const r = /abc;\n", (1, 11, "unterminated regular expression: missing the closing `/`")),
    ("const list = <ul>{items.map(i => <li>{i}</li>)</ul>;\n",
     (1, 53, "unexpected end of input: missing `}` to close the JSX expression opened at line 1")),
    # parsed by tree-sitter's lenient grammar, rejected by JavaScript
    ("try {\n  save();\n}\nrender();\n", (3, 2, "missing `catch` or `finally` after the `try` block")),
])
def test_each_kind_of_error_is_told_where_it_is(code, expected):
    assert only(code) == expected


@pytest.mark.parametrize("code, column", [
    ("\t\tconst x = ;\n", 13),                 # a tab is one character
    ('const s = "😀";  const x = ;', 27),      # so is an emoji (2 UTF-16 units, 4 bytes)
    ("const é = 'ü'; const x = ;", 26),        # and a letter of two bytes
])
def test_columns_count_characters(code, column):
    assert only(code)[:2] == (1, column)


def test_crlf_line_ends_count_as_one_line_break():
    assert only("a;\r\nb;\r\nconst x = ;\r\n")[:2] == (3, 11)
    assert only("a;\r\n\r\nfunction f() {\r\n  return [1, 2;\r\n}\r\n")[0] == 4


def test_a_problem_never_lies_past_the_end_of_the_file():
    for code in (UNFINISHED_AFTER_EXPORT, "function f() {", "const a = `x${", "<div>", "/* open"):
        positions = Positions(code.encode())
        for problem in problems_of(code):
            assert problem.line <= positions.line_count and problem.start <= len(code.encode())


def test_valid_code_has_no_problem():
    assert problems_of("export default function (items) {\n  return items.filter(i => i.price > 0);\n}\n") == []
    assert problems_of('{"a": [1, 2]}', "json") == []
    assert problems_of(".a { color: red; }", "css") == []


def test_json_and_css_errors_are_found_too():
    assert problems_of('{"a": [1, 2}', "json")
    assert problems_of(".a { color: red; ", "css")


def test_unknown_hook_and_event_names_offer_the_nearest_known_one():
    code = ("export default function () {\n  hookSystem.apply('cart.proccessLoadedItems', []);\n"
            "  eventSystem.on('cart.viewd', () => {});\n  eventSystem.emit('my.custom', 1);\n}\n")
    source = code.encode()
    tree = tree_sitter.Parser(grammar_for("javascript").language).parse(source)
    known = KnownNames((("my.custom", "event", "plugin_events", "other-row", True),)).for_check()
    found = [p for p in diagnose(source, tree, "javascript", known) if p.source == "names"]
    assert [(p.line, p.column, p.severity) for p in found] == [(2, 21, "warning"), (3, 19, "warning")]
    assert "did you mean `cart.processLoadedItems`?" in found[0].message
    fix = found[0].fixes[0]
    assert source[fix.start:fix.end] == b"cart.proccessLoadedItems" and fix.replacement == "cart.processLoadedItems"
    assert found[1].fixes[0].replacement == "cart.viewed"


def test_a_row_never_vouches_for_its_own_name():
    own = KnownNames((("cart.totl", "hook", "plugin_hooks", "me", True),))
    assert "cart.totl" not in own.for_check(besides=("plugin_hooks", "me"))["hook"]
    assert "cart.totl" in own.for_check(besides=("plugin_hooks", "other"))["hook"]
    assert KNOWN["cart.processLoadedItems"].kind == "filter"


def test_react_hooks_called_conditionally_are_errors():
    code = ("export default function Banner({ items, show }) {\n  const [open] = React.useState(false);\n"
            "  if (show) {\n    const [x] = useState(1);\n  }\n  items.forEach(() => useEffect(() => {}));\n"
            "  for (const i of items) { useMemo(() => i, [i]); }\n  return null;\n}\n"
            "function helper() { return useState(1); }\nfunction useThing() { return useState(2); }\n")
    source = code.encode()
    tree = tree_sitter.Parser(grammar_for("jsx").language).parse(source)
    found = [(p.line, p.message.split(":")[0]) for p in diagnose(source, tree, "jsx", {}) if p.source == "react"]
    assert found == [(4, "React Hook `useState` is called inside an `if`"),
                     (6, "React Hook `useEffect` is called inside a callback"),
                     (7, "React Hook `useMemo` is called inside a loop"),
                     (10, "React Hook `useState` is called in `helper`, which is neither a component (a name "
                          "starting with a capital) nor a custom hook (`use…`)")]


def test_a_handler_row_registered_for_a_name_nothing_calls_is_warned_at_its_top():
    from plugin_studio.models.syntax.platform_calls import row_name_problems

    positions = Positions(b"export default function (items) { return items; }\n")
    known = KnownNames().for_check()
    found = row_name_problems("cart.processLoadedItem", "hook", known, positions)
    assert len(found) == 1 and found[0].line == 1 and found[0].severity == "warning"
    assert "never runs; did you mean `cart.processLoadedItems`?" in found[0].message
    assert row_name_problems("cart.processLoadedItems", "hook", known, positions) == []
    assert row_name_problems("product.view", "event", known, positions) == []   # the catalogue's
