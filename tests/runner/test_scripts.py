"""Backend scripts: require over the plugin's own scripts and dependencies, ES modules, pluginData."""
from __future__ import annotations

import pytest

from plugin_studio.db import files, plugin_data
from plugin_studio.db.runtime import load_modules
from plugin_studio.runner.errors import JsError
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services, run_script

from js_limits import ROOMY_LIMITS


@pytest.fixture
def data_host(conn):
    with JsHost(ROOMY_LIMITS, plugin_data_services(lambda: conn)) as js:
        yield js


def give(host, conn, plugin_id):
    modules = load_modules(conn, [plugin_id])[plugin_id]
    host.set_modules(plugin_id, modules.scripts, modules.dependencies)


def test_es_module_script_requires_its_siblings_and_dependencies(conn, host, plugin):
    files.create_script(conn, plugin, "services/pricing.js",
                        "import { formatPrice } from '../utils/format.js';\nimport pad from 'left-pad';\n"
                        "// export default is a comment here, and 'export' in a string stays: \n"
                        "export const label = 'export default';\n"
                        "export function show(amount) { return pad(formatPrice(amount), 8); }\n", scope="backend")
    files.create_script(conn, plugin, "utils/format.js",
                        "module.exports.formatPrice = (a) => '$' + Number(a).toFixed(2);")
    plugin_data.upsert_dependency(conn, plugin, "left-pad", "1.3.0",
                                  "module.exports = function (s, n) { s = String(s); while (s.length < n) s = ' ' + s; return s; };")
    give(host, conn, plugin)
    result = run_script(host, plugin, "services/pricing.js", call="show", args=[3.5])
    assert result["value"] == "   $3.50"
    assert sorted(result["exports"]) == ["label", "show"]
    assert run_script(host, plugin, "services/pricing.js")["status"] == "undefined"


def test_handler_requires_a_plugin_script_by_relative_path(conn, host, cart_viewer):
    from plugin_studio.runner.chain import apply_filters
    from plugin_studio.runner.chain_load import load_chain

    files.create_hook(conn, cart_viewer, "price.label", "filter",
                      "const { formatPrice } = require('../utils/format_price');\nexport default (p) => formatPrice(p);")
    loaded = load_chain(conn, "hook", "price.label")
    trace = apply_filters(host, loaded.rows, "price.label", 12.5, modules=loaded.modules)
    assert trace.final == "$12.50"
    # the IDE runs it, and says the storefront's browser would not
    assert any("require() does not exist in the storefront's browser code" in n for n in trace.steps[0].notes)


@pytest.mark.parametrize("spec,words", [
    ("fs", "fs module is not available"),
    ("node:child_process", "child_process module is not available"),
    ("../../etc/passwd", "points outside the plugin"),
    ("./missing", "the plugin has no script missing"),
    ("lodash", "not a dependency of this plugin"),
])
def test_require_resolves_only_the_plugins_modules(conn, host, plugin, spec, words):
    files.create_script(conn, plugin, "main.js", f"module.exports.go = () => require({spec!r});")
    give(host, conn, plugin)
    result = run_script(host, plugin, "main.js", call="go")
    assert result["status"] == "error" and words in result["error"]["message"]


def test_require_looks_in_the_dependencies_before_the_plugins_own_scripts(conn, host, plugin):
    """The platform's loader resolves a name in its dependency cache first, then the plugin's modules."""
    files.create_script(conn, plugin, "format.js", "module.exports = () => 'the script';")
    files.create_script(conn, plugin, "main.js",
                        "module.exports.go = () => [require('format')(), require('./format')(), require('format.js')()];")
    plugin_data.upsert_dependency(conn, plugin, "format", "1.0.0", "module.exports = () => 'the dependency';")
    give(host, conn, plugin)
    result = run_script(host, plugin, "main.js", call="go")
    assert result["value"] == ["the dependency", "the script", "the script"], result


def test_backend_code_sees_the_loaders_globals_and_no_browser_or_node(conn, host, plugin):
    files.create_script(conn, plugin, "env.js", "module.exports.look = () => ({\n"
                        "  browser: [typeof window, typeof document, typeof localStorage, typeof fetch],\n"
                        "  node: [typeof Buffer, (() => { try { process.exit(1); } catch (e) { return e.message; } })()],\n"
                        "  loader: [typeof require, typeof module, typeof exports, typeof console, typeof pluginData,\n"
                        "           typeof setTimeout, typeof clearInterval, typeof Promise, typeof JSON],\n"
                        "});", scope="backend")
    give(host, conn, plugin)
    value = run_script(host, plugin, "env.js", call="look")["value"]
    assert value == {"browser": ["undefined"] * 4,
                     "node": ["undefined", "process.exit() is not available to plugin code (no process access in the sandbox)"],
                     "loader": ["function", "object", "object", "object", "object", "function", "function", "function",
                                "object"]}


def test_script_syntax_error_names_file_and_line(conn, host, plugin):
    files.create_script(conn, plugin, "main.js", "module.exports.go = () => require('./broken');")
    files.create_script(conn, plugin, "broken.js", "export const a = 1;\nexport const b = ;\n")
    give(host, conn, plugin)
    result = run_script(host, plugin, "main.js", call="go")
    assert result["status"] == "error"
    assert "broken.js" in result["error"]["message"] and "2" in result["error"]["message"]


def test_plugin_data_round_trips_through_the_database(conn, data_host, plugin):
    files.create_script(conn, plugin, "counter.js",
                        "export async function bump() {\n"
                        "  const n = (await pluginData.get('visits')) || 0;\n"
                        "  await pluginData.set('visits', n + 1);\n"
                        "  await pluginData.set('last', {n: n + 1, tags: ['a']});\n"
                        "  return {n: n + 1, keys: Object.keys(await pluginData.list()).sort()};\n"
                        "}\n"
                        "export async function forget() { return pluginData.delete('last'); }\n")
    give(data_host, conn, plugin)
    assert run_script(data_host, plugin, "counter.js", call="bump")["value"] == {"n": 1, "keys": ["last", "visits"]}
    assert run_script(data_host, plugin, "counter.js", call="bump")["value"]["n"] == 2
    assert plugin_data.get_value(conn, plugin, "last") == {"n": 2, "tags": ["a"]}
    assert run_script(data_host, plugin, "counter.js", call="forget")["value"] is True
    assert plugin_data.get_value(conn, plugin, "last") is None


def test_plugin_data_without_a_database_is_a_clear_error(conn, host, plugin):
    files.create_script(conn, plugin, "c.js", "export const read = () => pluginData.get('x');")
    give(host, conn, plugin)
    result = run_script(host, plugin, "c.js", call="read")
    assert "pluginData.get" in result["error"]["message"] and "without a database" in result["error"]["message"]


def test_timers_run_in_virtual_time_and_console_is_captured(conn, host, plugin):
    files.create_script(conn, plugin, "t.js",
                        "export function later() {\n  return new Promise(resolve => {\n"
                        "    const ticks = [];\n    const id = setInterval(() => ticks.push(ticks.length), 60000);\n"
                        "    setTimeout(() => { clearInterval(id); console.info('ticks', ticks.length); resolve(ticks); }, 210000);\n"
                        "  });\n}\n")
    give(host, conn, plugin)
    result = run_script(host, plugin, "t.js", call="later")
    assert result["value"] == [0, 1, 2]
    assert result["console"] == [{"level": "info", "text": "ticks 3"}]
    assert host.limits.timeout_ms < 210_000  # 3.5 min of timers ran in virtual time: waiting would have timed out


def test_unknown_script_is_a_clear_error(conn, host, plugin):
    give(host, conn, plugin)
    with pytest.raises(JsError, match="no script nope.js"):
        run_script(host, plugin, "nope.js")
