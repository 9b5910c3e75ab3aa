"""The loadability check: each handler compiled exactly as the storefront's App.jsx wraps it,
``eval('(' + makeEvalSafe(code) + ')')``, strict, with the loader's own (V8's) error text."""
from __future__ import annotations

import pytest

from plugin_studio.models.new_files import event_listener_code, hook_code
from plugin_studio.models.templates import get_template
from plugin_studio.runner.storefront_check import storefront_problems, storefront_problems_many, v8_message, wrapped

# The platform editor's own default event template: comment lines, then `export default function`.
EDITOR_EVENT_TEMPLATE = ("// Event listener for cart.viewed\n// This function runs when the event fires\n"
                         "export default function onCartViewed(eventData) {\n  console.log(eventData);\n}\n")


@pytest.mark.parametrize("code,message,line,column", [
    (EDITOR_EVENT_TEMPLATE, "SyntaxError: Unexpected token 'export'", 3, 1),
    ("function (price) { return price * 0.9 };", "SyntaxError: Unexpected token ';'", 1, 40),
    ("function (price) { return price * 0.9 } // ten percent off", "SyntaxError: Unexpected end of input", 1, 59),  # after the last character
])
def test_the_three_shapes_the_storefront_rejects_get_its_own_message(host, code, message, line, column):
    [problem] = storefront_problems(host, code)
    assert problem.message.endswith(message)
    assert "storefront's loader" in problem.message and problem.severity == "warning"
    assert (problem.line, problem.column) == (line, column)


# What V8 (Node 20+, the storefront's Chrome) says for each, recorded from `new vm.Script('"use strict";(' + code + ')')`.
V8 = {
    "function (a) { return a.b.c }}": "Unexpected token '}'",
    "function (a) { return a 1 }": "Unexpected number",
    "function (a) { return a \"s\" }": "Unexpected string",
    "function (a) { return a b }": "Unexpected identifier 'b'",
    "function (a) { var let = 1; return let }": "Unexpected strict mode reserved word",
    "function (a) { return 'unterminated }": "Invalid or unexpected token",
    "function (a) { return `x ${a} }": "Unexpected end of input",
    "function (a) { with (a) { return b } }": "Strict mode code may not include a with statement",
    "function (a) { return 010 }": "Octal literals are not allowed in strict mode.",
    "function (a, a) { return a }": "Duplicate parameter name not allowed in this context",
    "<div>hi</div>": "Unexpected token '<'",
    "function (a) { return a.map(x => {x) }": "Unexpected token ')'",
    "function(a){ return { a: 1 b: 2 } }": "Unexpected identifier 'b'",
    "const h = (x) => x; export default h;": "Unexpected token 'const'",
    "function (p) { return p + 1 }\nfunction (q) {}": "Unexpected token 'function'",
    "// test": "Unexpected end of input",
}


@pytest.mark.parametrize("code", V8, ids=list(V8))
def test_quickjs_messages_are_worded_as_v8_words_them(host, code):
    [problem] = storefront_problems(host, code)
    assert problem.message.endswith("SyntaxError: " + V8[code])


def test_shapes_the_storefront_loads_are_not_flagged(host):
    loads = ["function (price) { return price * 0.9 }", "export default function (d) { return d }",
             "  export default async (d) => d", "(eventData) => { console.log(eventData) }", "p => p * 2",
             "function named(p) {\n  // a comment inside is fine\n  return p;\n}"]
    assert storefront_problems_many(host, loads) == [[] for _ in loads]


def test_commonjs_and_non_functions_are_flagged_for_what_happens_at_load(host):
    [cjs] = storefront_problems(host, "module.exports = function (p) { return p }")
    assert "ReferenceError: module is not defined" in cjs.message
    [value] = storefront_problems(host, "42")
    assert "not a function" in value.message


def test_new_file_templates_and_the_starter_plugin_pass_the_loader(host):
    codes = [event_listener_code("cart.viewed"), hook_code("product.price", "filter"),
             hook_code("order.placed", "action")]
    template = get_template("cart-viewer")
    codes += [template.code(e["file"]) for e in template.spec["events"] + template.spec["hooks"]]
    assert storefront_problems_many(host, codes) == [[] for _ in codes]


def test_make_eval_safe_removes_one_leading_export_default_only():
    assert wrapped("  export default function () {}") == ("(function () {})", len("  export default "))
    assert wrapped("// c\nexport default x")[1] == 0


def test_unknown_positions_fall_back_to_quickjs_token():
    assert v8_message("()", None, "unexpected token in expression: ')'") == "Unexpected token ')'"
    assert v8_message("(", None, "unexpected token in expression: ''") == "Unexpected end of input"
