"""Plugin code that misbehaves (DESIGN §8): each ends in a clear error and the next call works."""
from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import replace

import pytest

from plugin_studio.runner.chain import Handler, apply_filters
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.errors import (
    JsError, JsMemoryLimit, JsOutputLimit, JsStackOverflow, JsSyntaxError, JsTimeout, WorkerCrashed,
)

from js_limits import FAST_LIMITS, ROOMY_LIMITS


def handler(code: str, row: str = "row-1", plugin: str = "plugin-a") -> Handler:
    return Handler(plugin, row, "hooks/product_price.js", 10, code, "filter", "product.price", "Faulty")


def run_one(host, code: str, value=1):
    trace = apply_filters(host, [handler(code)], "product.price", value)
    return trace.steps[0]


def assert_worker_back(host):
    assert run_one(host, "v => v + 1", 41).output == 42


FAULTS = {
    "endless loop": ("function (v) { while (true) {} }", JsTimeout, "time limit"),
    "2 GB allocation": ("function (v) { return new Float64Array(2 ** 28 - 1).length; }", JsMemoryLimit,
                        "out of memory: the code needed more than the 256 MB"),
    "memory bomb by doubling": ("function (v) { let s = 'x'; for (;;) s = s + s; }", JsMemoryLimit, "out of memory"),
    "deep recursion": ("function f(v) { return f(v + 1) + 1; }", JsStackOverflow, "call stack"),
    "huge output (100 MB)": ("function (v) { console.log('x'.repeat(100 * 1024 * 1024)); return v; }",
                             JsOutputLimit, "console output limit"),
    "syntax error": ("function (v) {\n  return v +;\n}", JsSyntaxError, "unexpected token"),
    "require('fs')": ("function (v) { const fs = require('fs'); return fs.readFileSync('/etc/passwd'); }",
                      JsError, "fs module is not available"),
    "process.exit()": ("function (v) { process.exit(1); }", JsError, "process.exit() is not available"),
}


@pytest.mark.parametrize("code,error_type,words", FAULTS.values(), ids=FAULTS.keys())
def test_fault_is_a_clear_error_and_the_worker_is_back(host, strict_host, code, error_type, words):
    # Only the endless loop meets the time limit; the other faults must meet their own limit, however
    # slowly a loaded machine gets there. How fast faults are stopped: tests/perf/test_runner_perf.py.
    js = strict_host if error_type is JsTimeout else host
    step = run_one(js, code)
    assert isinstance(step.error, error_type), step.error
    assert words in str(step.error)
    assert step.output == 1  # the chain goes on with the previous value
    assert_worker_back(js)


def test_syntax_error_carries_line_and_column(host):
    step = run_one(host, "// a price rule\nfunction (v) {\n  const rate = 0.9\n  return v * ;\n}")
    assert (step.error.line, step.error.column) == (4, 14)
    assert step.error.path == "hooks/product_price.js"


def test_timeout_resets_only_the_plugin_that_ran_away(strict_host):
    host = strict_host
    host.call("handler.invoke", plugin_id="calm", handler={"key": "k", "code": "v => (globalThis.n = (globalThis.n || 0) + v)",
                                                           "path": "hooks/a.js"}, args=[5])
    run_one(host, "function (v) { globalThis.leftover = 1; while (true) {} }")
    calm = host.call("handler.invoke", plugin_id="calm", handler={"key": "k", "code": "v => (globalThis.n = (globalThis.n || 0) + v)",
                                                                  "path": "hooks/a.js"}, args=[5])
    assert calm["value"] == 10  # its globals survived
    state = run_one(host, "v => typeof globalThis.leftover")
    assert state.output == "undefined"  # the runaway plugin's context was reset


def test_a_worker_killed_during_a_call_fails_that_call_then_restarts():
    # The handler asks the host for plugin data; the host's answer kills the worker first. So the
    # kill lands inside this call, whatever the scheduling (no timer racing the call).
    holder = {}

    def kill_the_worker(**_args):
        os.kill(holder["victim"], signal.SIGKILL)

    with JsHost(ROOMY_LIMITS, {"data.get": kill_the_worker}) as host:
        holder["victim"] = victim = host.call("ping")["pid"]
        step = run_one(host, "async function (v) { await pluginData.get('stock'); return v + 1; }")
        assert isinstance(step.error, WorkerCrashed)
        assert "killed by signal 9" in str(step.error)
        assert step.output == 1
        assert host.call("ping")["pid"] != victim
        assert_worker_back(host)


def test_a_worker_killed_while_idle_is_replaced_and_the_reason_says_so(host):
    host.call("ping")
    victim = host.pid
    os.kill(victim, signal.SIGKILL)
    while host.running:  # until the kill has landed
        time.sleep(0.01)
    assert host.call("ping")["pid"] != victim
    assert "signal 9" in host.last_restart_reason
    assert_worker_back(host)


def test_frozen_worker_is_killed_after_the_grace_period(strict_host):
    host = strict_host
    host.call("ping")
    frozen = host.pid
    os.kill(frozen, signal.SIGSTOP)  # it can't even answer its own alarm
    started = time.monotonic()
    with pytest.raises(JsTimeout, match="was killed"):
        host.call("ping")
    assert time.monotonic() - started >= (host.limits.timeout_ms + host.limits.grace_ms) / 1000  # it waited the grace
    assert host.call("ping")["pid"] != frozen
    assert "did not stop" in host.last_restart_reason


def test_a_time_limit_that_cuts_the_compilers_first_load_short_leaves_it_loadable():
    # The first ES module a worker meets loads Babel inside the call; a loaded machine can make that
    # alone outlast the time limit. The next call must load it again, not find half a compiler (which
    # read as "ReferenceError: Babel is not defined" in the user's code). 50 ms lands inside the load,
    # which takes several times that, after the little work before it.
    module = {"key": "k", "code": "const one = 1;\nexport default function (p) { return p + one }", "path": "hooks/a.js"}
    with JsHost(ROOMY_LIMITS) as host:
        host.call("ping")
        with pytest.raises(JsTimeout):
            host.call("handler.invoke", plugin_id="p", handler=module, args=[5], timeout_ms=50)
        answer = host.call("handler.invoke", plugin_id="p", handler=module, args=[5])
        assert (answer["status"], answer.get("value")) == ("ok", 6), answer


def test_a_worker_slow_to_start_does_not_cost_the_first_call_its_time(tmp_path, monkeypatch):
    # A loaded machine takes seconds to start Python and QuickJS; here a wrapper sleeps 3 s first.
    slow_python = tmp_path / "slow-python"
    slow_python.write_text(f'#!/bin/sh\nsleep 3\nexec "{sys.executable}" "$@"\n')
    slow_python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(slow_python))
    with JsHost(replace(FAST_LIMITS, timeout_ms=500, grace_ms=500)) as host:
        assert host.call("ping")["pid"] == host.pid
        assert host.restarts == 0
