"""Worker ops for hooks and events: a chain run in the worker, step by step or whole (batches: ops_batch).

A handler spec is ``{"plugin_id", "key": row id, "code": stored code, "path": shown path}``; a
handler is (re)defined in its plugin's interpreter whenever its code differs from what was loaded.

A run holds the chain's value and arguments *live* in the interpreter of the plugin whose handler
ran last, so consecutive handlers of one plugin share objects by reference, as on the storefront
(an in-place ``items.push(x)`` is seen downstream). Between two plugins (two interpreters, which
must not see each other) the value travels as tagged JSON (models/js_value.py).

Ops: ``chain.run`` (a whole traced run, one round trip), ``chain.open`` / ``chain.advance`` /
``chain.finish`` / ``chain.close`` (the debugger's session), ``handler.invoke`` (one handler, e.g. a watch
expression).
"""
from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field

import dukpy

from plugin_studio.runner import quickjs
from plugin_studio.runner.engine import PluginContext, parse_runtime_error
from plugin_studio.runner.errors import JsSyntaxError, JsTimeout, RunnerError
from plugin_studio.runner.loader import (
    BODY_TAIL, EXPRESSION_TAIL, FACTORY_HEAD, STRICT_FACTORY_HEAD, handler_candidates, wrap,
)
from plugin_studio.runner.protocol import RawJson, row_steps
from plugin_studio.runner.syntax import best_syntax_error
from plugin_studio.runner.worker import timeout_error

RUNS = "chain.runs"
CHAINS = "chain.chains"
READY = "chain.ready"
CHAIN_CAPACITY = 256  # handler lists kept by number; more than the host names (host.CHAINS_KEPT)
MAX_TIMER_FIRINGS = 10_000
MAX_VIRTUAL_MS = 10 * 60 * 1000  # timers further out than this are not run (setInterval forever)


def define(state, ctx: PluginContext, handler: dict) -> RunnerError | None:
    """Make ``handler`` callable in ``ctx``; the load error (syntax, top-level throw) if it can't be."""
    key, code, path = handler["key"], handler["code"], handler.get("path") or handler["key"]
    if ctx.loaded.get(key) == code:
        return None
    ctx.loaded.pop(key, None)
    ctx.generation += 1
    candidates, shape = handler_candidates(code, strict=ctx.frontend)
    source = ctx.lines.allocate(path, code)
    texts = [wrap(source, head, body, EXPRESSION_TAIL if kind == "expression" else BODY_TAIL)
             for kind, head, body in candidates]
    if shape.needs_module_transform:
        try:
            module = state.transform.to_commonjs(code, path)
        except (JsSyntaxError, JsTimeout) as exc:
            return exc
        texts = [wrap(source, STRICT_FACTORY_HEAD if ctx.frontend else FACTORY_HEAD, module, BODY_TAIL)]
    outcome = ctx.timed_call("define", key, texts, path)  # a handler's top level runs when it is defined
    if outcome["status"] == "ok":
        ctx.loaded[key] = code
        return None
    if outcome["status"] == "syntax":
        return best_syntax_error(ctx, outcome["errors"], code, path)
    return ctx.error_from(outcome["error"], path)


# ---- a run ---------------------------------------------------------------------------------------

@dataclass
class ChainRun:
    mode: str                       # filter | action | event
    handlers: list[dict]
    value_json: str                 # the value and arguments as last seen outside an interpreter
    args_json: str
    env: dict = field(default_factory=dict)
    position: int = 0
    holder: str | None = None       # the interpreter holding the live value
    joined: list[str] = field(default_factory=list)
    late: list = field(default_factory=list)   # [step, console line] that arrived after their step

    def take_late(self) -> list:
        out, self.late = self.late, []
        return out


def open_run(state, payload: dict) -> dict:
    """``{"run", "mode", "handlers", "value", "args", "env"}``: value and args as tagged JSON text. The
    handlers may instead be a ``chain`` number the host gave with them before (``JsHost.call_with_chain``)."""
    runs = state.setdefault(RUNS, {})
    old = runs.pop(payload["run"], None)
    if old is not None:
        _drop_live(state, payload["run"], old)
    handlers = _chain_handlers(state, payload)
    runs[payload["run"]] = ChainRun(payload["mode"], handlers, payload.get("value", '{"$js":"undefined"}'),
                                    payload.get("args", "[]"), payload.get("env") or {})
    return {"handlers": len(handlers)}


def _chain_handlers(state, payload: dict) -> list[dict]:
    """The payload's handler specs, kept under its ``chain`` number; or those kept under that number."""
    chains = state.setdefault(CHAINS, {})
    number = payload.get("chain")
    if "handlers" in payload:
        if number is not None:
            chains[number] = payload["handlers"]
            state.get(READY, {}).pop(number, None)
            while len(chains) > CHAIN_CAPACITY:  # the oldest first: the host forgets them sooner
                del chains[next(iter(chains))]
        return payload["handlers"]
    if number not in chains:
        raise RunnerError(f"the worker does not hold chain {number} any more; run it again")
    return chains[number]


def _run_of(state, payload: dict) -> ChainRun:
    run = state.get(RUNS, {}).get(payload["run"])
    if run is None:
        raise RunnerError("this chain run is not open in the worker any more (the worker was restarted); run it again")
    return run


def _join(state, run_id: str, run: ChainRun, plugin_id: str) -> PluginContext:
    """The plugin's interpreter, set up for this run (its clock at 0, the scenario's browser) on first use."""
    ctx = state.context(plugin_id)
    if ctx.key not in run.joined:
        run.joined.append(ctx.key)
        ctx.call("resetTimers")
        if ctx.frontend and (run.env or getattr(ctx, "has_env", False)):
            _apply_env(ctx, run.env)
    if run.holder != ctx.key:
        _move_live(state, run_id, run, ctx)
    return ctx


def _move_live(state, run_id: str, run: ChainRun, ctx: PluginContext) -> None:
    holder = state.contexts.get(run.holder) if run.holder else None
    if holder is not None:
        exported = holder.call("exportLive", run_id)
        if exported:
            run.value_json, run.args_json = exported
    ctx.call("importLive", run_id, run.value_json, run.args_json)
    run.holder = ctx.key


def _drop_live(state, run_id: str, run: ChainRun) -> None:
    holder = state.contexts.get(run.holder) if run.holder else None
    if holder is not None:
        holder.call("dropLive", run_id)
    run.holder = None


def advance(state, payload: dict) -> dict:
    """Run the handlers up to ``until`` (exclusive; default all): ``{"steps", "late", "position"}``."""
    run_id = payload["run"]
    run = _run_of(state, payload)
    until = min(int(payload.get("until", len(run.handlers))), len(run.handlers))
    steps: list[dict] = []
    while run.position < until:
        plugin_id = run.handlers[run.position]["plugin_id"]
        end = run.position
        while end < until and run.handlers[end]["plugin_id"] == plugin_id:
            end += 1
        _run_plugin_group(state, run_id, run, range(run.position, end), steps)
        run.position = end
    return {"steps": steps, "late": run.take_late(), "position": run.position}


def _run_plugin_group(state, run_id: str, run: ChainRun, numbers: range, steps: list[dict]) -> None:
    """One plugin's consecutive handlers; a handler that fails to load is a step of its own."""
    ctx = _join(state, run_id, run, run.handlers[numbers[0]]["plugin_id"])
    ready: list[int] = []
    for number in numbers:
        handler = run.handlers[number]
        failure = _define_guarded(state, ctx, handler)
        if failure is None:
            ready.append(number)
            continue
        ctx = _flush(state, run_id, run, ctx, ready, steps)
        ready = []
        steps.append(_load_failure_step(number, failure))
    _flush(state, run_id, run, ctx, ready, steps)


def _define_guarded(state, ctx: PluginContext, handler: dict) -> RunnerError | None:
    try:
        return define(state, ctx, handler)
    except dukpy.JSRuntimeError as exc:  # stopped at its top level (time limit, memory)
        error = parse_runtime_error(str(exc))
        if error["kind"] in ("timeout", "memory") or quickjs.WATCH.fired:
            state.contexts.pop(ctx.key, None)
            return timeout_error(state.limits.timeout_ms) if error["kind"] != "memory" else ctx.error_from(error)
        return ctx.error_from(error, handler.get("path"))


def _load_failure_step(number: int, failure: RunnerError) -> dict:
    return {"step": number, "status": "error", "phase": "load", "error": failure.to_dict(), "console": [],
            "notes": [], "duration_ms": 0.0}


def _flush(state, run_id: str, run: ChainRun, ctx: PluginContext, numbers: list[int], steps: list[dict]) -> PluginContext:
    """Run the ready handlers ``numbers`` of ``ctx``; returns the interpreter to go on with."""
    if not numbers:
        return ctx
    if ctx.key not in state.contexts:  # reset by a failure: a fresh interpreter, the value from its snapshot
        ctx = _join(state, run_id, run, run.handlers[numbers[0]]["plugin_id"])
    elif run.holder != ctx.key:
        _move_live(state, run_id, run, ctx)
    keys = [run.handlers[n]["key"] for n in numbers]
    try:
        result = ctx.timed_call("runGroup", run_id, run.mode, keys, numbers, True)
    except dukpy.JSRuntimeError as exc:
        return _recover(state, run_id, run, ctx, numbers, steps, str(exc))
    _collect(ctx, run, result, steps)
    return _after_jobs(state, run, ctx, steps)


def _after_jobs(state, run: ChainRun, ctx: PluginContext, steps: list[dict]) -> PluginContext:
    """Promise jobs of the group that had to be stopped (an async handler looping on after it returned):
    the step that started them gets the error, and the interpreter starts afresh."""
    stopped = ctx.jobs_stopped
    if not stopped:
        return ctx
    kind = parse_runtime_error(stopped)["kind"]
    error = ctx.error_from({"kind": "timeout" if kind != "memory" else kind, "name": "InternalError", "message": stopped})
    error.message = f"its promise jobs were stopped after it returned: {error.message}"
    culprit = next((s for s in reversed(steps) if s.get("async")), steps[-1] if steps else None)
    if culprit is not None:
        culprit.update(status="error", error=error.to_dict())
    state.contexts.pop(ctx.key, None)
    run.holder = None
    return ctx


def _collect(ctx: PluginContext, run: ChainRun, result: dict, steps: list[dict]) -> None:
    """Take a group's steps: errors located in their files, each step's input filled in (a step
    leaves it out when it is the previous step's output)."""
    run.late += [[line.get("step", -1), line] for line in result["late"]]
    previous = run.value_json
    for step in result["steps"]:
        if "error" in step:
            step["error"] = ctx.error_from(step["error"], run.handlers[step["step"]].get("path")).to_dict()
        step.setdefault("input", previous)
        previous = step.get("output", previous)
        steps.append(step)
    run.value_json = previous


def _recover(state, run_id: str, run: ChainRun, ctx: PluginContext, numbers: list[int], steps: list[dict],
             text: str) -> PluginContext:
    """A handler was stopped (time limit, memory): keep the steps before it, record it, and go on
    with the rest from the value it was given. Its interpreter is reset (it may be half-changed)."""
    quickjs.WATCH.step_ms = None
    try:
        partial = ctx.call("takePartial")
    except dukpy.JSRuntimeError:
        partial = None
    error = parse_runtime_error(text)
    stopped = timeout_error(state.limits.timeout_ms) if error["kind"] == "timeout" or quickjs.WATCH.fired \
        else ctx.error_from(error, run.handlers[numbers[0]].get("path"))
    state.contexts.pop(ctx.key, None)
    run.holder = None
    done = partial["steps"] if partial else []
    _collect(ctx, run, {"late": [], "steps": done}, steps)
    running = (partial or {}).get("running") or {"step": numbers[len(done)] if len(done) < len(numbers) else numbers[-1]}
    if partial and partial.get("input") is not None:
        run.value_json = partial["input"]
    steps.append({"step": running["step"], "status": "error", "error": stopped.to_dict(), "input": run.value_json,
                  "output": run.value_json, "duration_ms": state.limits.timeout_ms})
    rest = [n for n in numbers if n > running["step"]]
    if rest:
        fresh = _join(state, run_id, run, run.handlers[rest[0]]["plugin_id"])
        ready = []
        for n in rest:
            failure = _define_guarded(state, fresh, run.handlers[n])
            if failure is None:
                ready.append(n)
            else:
                steps.append(_load_failure_step(n, failure))
        return _flush(state, run_id, run, fresh, ready, steps)
    return ctx


def finish(state, payload: dict) -> dict:
    """Run the timers the chain left (virtual time), then end the run: the final value and arguments."""
    run_id = payload["run"]
    run = _run_of(state, payload)
    timers = _run_timers(state, run)
    value_json, args_json = run.value_json, run.args_json
    holder = state.contexts.get(run.holder) if run.holder else None
    if holder is not None:
        exported = holder.call("exportLive", run_id)
        if exported:
            value_json, args_json = exported
    late = run.take_late()
    for name in run.joined:
        ctx = state.contexts.get(name)
        if ctx is not None:
            extra = ctx.call("takeLate")
            late += [[line.get("step", -1), line] for line in extra["console"]]
    state[RUNS].pop(run_id, None)
    return {"value": value_json, "args": args_json, "late": late, "timers": timers}


def _run_timers(state, run: ChainRun) -> dict:
    """Fire the timers of every interpreter the run used, earliest first across them, until none is
    left, ``MAX_TIMER_FIRINGS`` fired or the next is past ``MAX_VIRTUAL_MS``; one time limit for all."""
    quickjs.WATCH.start_step(state.limits.timeout_ms)
    try:
        return _fire_timers(state, run)
    finally:
        quickjs.WATCH.step_ms = None


def _fire_timers(state, run: ChainRun) -> dict:
    fired, errors = 0, []
    while True:
        next_at, ctx = _earliest_timer(state, run)
        if ctx is None:
            return {"fired": fired, "errors": errors, "left": 0}
        if fired >= MAX_TIMER_FIRINGS or next_at > MAX_VIRTUAL_MS:
            return {"fired": fired, "errors": errors, "left": 1, "next_at": next_at}
        try:
            outcome = ctx.call("fireNextTimer")
        except dukpy.JSRuntimeError as exc:
            state.contexts.pop(ctx.key, None)
            errors.append({"step": -1, "at": next_at, "error": _stopped(state, ctx, str(exc)).to_dict()})
            if quickjs.WATCH.fired:
                return {"fired": fired, "errors": errors, "left": 0}
            continue
        fired += 1
        run.late += [[line.get("step", -1), line] for line in ctx.call("takeConsole")]
        if ctx.ran_jobs:  # what the timer's promise jobs logged
            run.late += [[line.get("step", -1), line] for line in ctx.call("takeConsole")]
        if outcome and outcome.get("error"):
            path = run.handlers[outcome["step"]].get("path") if 0 <= outcome["step"] < len(run.handlers) else None
            errors.append({"step": outcome["step"], "at": outcome["at"],
                           "error": ctx.error_from(outcome["error"], path).to_dict()})


def _earliest_timer(state, run: ChainRun) -> tuple[float | None, PluginContext | None]:
    best_at, best = None, None
    for name in run.joined:
        ctx = state.contexts.get(name)
        if ctx is None:
            continue
        at = ctx.call("nextTimerAt")
        if at is not None and (best_at is None or at < best_at):
            best_at, best = at, ctx
    return best_at, best


def _stopped(state, ctx: PluginContext, text: str) -> RunnerError:
    error = parse_runtime_error(text)
    if error["kind"] == "timeout" or quickjs.WATCH.fired:
        return timeout_error(state.limits.timeout_ms)
    return ctx.error_from(error)


def close(state, payload: dict) -> dict:
    """End a run without running its timers (the debugger's Stop)."""
    run = state.get(RUNS, {}).pop(payload["run"], None)
    if run is not None:
        _drop_live(state, payload["run"], run)
    return {"closed": run is not None}


def run_whole(state, payload: dict) -> dict | RawJson:
    """``chain.open`` + ``chain.advance`` to the end + ``chain.finish`` in one round trip: ``{"value", "late",
    "timers", "steps"}``, where a step may leave out its ``input`` when it is the previous step's output.
    A plain run's answer is the runtime's own text (``RawJson``), with ``rows`` (``protocol.row_steps``)
    in place of ``steps``."""
    open_run(state, payload)
    alone = _run_alone(state, payload["run"], payload.get("chain"))
    if alone is not None:
        return alone
    advanced = advance(state, {"run": payload["run"]})
    finished = finish(state, {"run": payload["run"]})
    finished["steps"] = advanced["steps"]
    finished["late"] = advanced["late"] + finished["late"]
    return finished


def _run_alone(state, run_id: str, number: int | None) -> dict | RawJson | None:
    """The common case in (mostly) one call: every handler of one plugin, all of them loadable.
    None when the run needs the general path (several plugins, a load error, a stopped handler)."""
    run = state[RUNS][run_id]
    alone = _loaded_alone(state, run, number)
    if alone is None:
        return None
    ctx, keys_and_numbers = alone
    if run.env or getattr(ctx, "has_env", False):
        _apply_env(ctx, run.env)
    numbers = list(range(len(run.handlers)))
    arguments = json.dumps([run_id, run.mode, run.value_json, run.args_json], ensure_ascii=False)
    try:
        data = ctx.timed_text("runAloneText", f"{arguments[:-1]}, {keys_and_numbers}]")
        if data[:1] == b"P":  # a plain run, answered whole by the runtime
            return _plain_answer(state, run_id, run, ctx, data[1:])
        result = json.loads(data[1:])
    except dukpy.JSRuntimeError as exc:
        run.joined, run.holder = [ctx.key], ctx.key
        steps: list[dict] = []
        _recover(state, run_id, run, ctx, numbers, steps, str(exc))
        run.position = len(run.handlers)
        finished = finish(state, {"run": run_id})
        return dict(finished, steps=steps)
    steps = []
    _collect(ctx, run, result, steps)
    _after_jobs(state, run, ctx, steps)
    run.position = len(run.handlers)
    if ctx.key not in state.contexts:
        return dict(finish(state, {"run": run_id}), steps=steps)
    if result["timersAt"] is not None or result.get("live") is None:
        run.joined, run.holder = [ctx.key], ctx.key
        return dict(finish(state, {"run": run_id}), steps=steps)
    late = run.take_late()
    if ctx.ran_jobs:
        late += [[line.get("step", -1), line] for line in ctx.call("takeConsole")]
    state[RUNS].pop(run_id, None)
    value_json, args_json = result["live"]
    return {"value": value_json, "args": args_json, "late": late, "timers": {"fired": 0, "errors": [], "left": 0},
            "steps": steps}


def _loaded_alone(state, run: ChainRun, number: int | None) -> tuple[PluginContext, str] | None:
    """The interpreter holding every handler of ``run``, each loaded from its code, and the handlers' keys
    and step numbers as JSON; None when they belong to several plugins or one does not load. What was
    checked for chain ``number`` holds while its interpreter lives and (re)defines no handler: a traced
    run of a known chain then costs no handler lookups."""
    ready = state.setdefault(READY, {})
    known = ready.get(number)
    if known is not None:
        ctx, generation, keys_and_numbers = known[0](), known[1], known[2]
        if ctx is not None and state.contexts.get(ctx.key) is ctx and ctx.generation == generation:
            state.touched.add(ctx.key)
            return ctx, keys_and_numbers
    plugin_ids = {h["plugin_id"] for h in run.handlers}
    if len(plugin_ids) != 1:
        return None
    ctx = state.context(plugin_ids.pop())
    if any(_define_guarded(state, ctx, h) is not None for h in run.handlers) or ctx.key not in state.contexts:
        return None
    keys_and_numbers = json.dumps([[h["key"] for h in run.handlers], list(range(len(run.handlers)))],
                                  ensure_ascii=False)[1:-1]
    if number is not None:
        ready[number] = (weakref.ref(ctx), ctx.generation, keys_and_numbers)  # weak: a dropped interpreter goes
        while len(ready) > CHAIN_CAPACITY:
            del ready[next(iter(ready))]
    return ctx, keys_and_numbers


def _plain_answer(state, run_id: str, run: ChainRun, ctx: PluginContext, data: bytes) -> RawJson | dict:
    """The runtime's own answer text, sent on as it is, unless promise jobs ran after the call: then
    what they logged (or the limit that stopped them) is added to it."""
    if not ctx.ran_jobs:
        state[RUNS].pop(run_id, None)
        return RawJson(data)
    answer = json.loads(data)
    answer["steps"] = row_steps(answer.pop("rows"))
    _after_jobs(state, run, ctx, answer["steps"])
    if ctx.key in state.contexts:
        answer["late"] = [[line.get("step", -1), line] for line in ctx.call("takeConsole")]
    state[RUNS].pop(run_id, None)
    return answer


def _apply_env(ctx: PluginContext, env: dict) -> None:
    """The scenario's browser: canned fetch responses, the page's address, storage (reset when absent)."""
    ctx.call("setFetch", env.get("fetch") or [])
    if "url" in env:
        ctx.call("setUrl", env["url"])
    for area in ("localStorage", "sessionStorage"):
        if area in env:
            ctx.call("setStorage", area, env[area])
    ctx.has_env = bool(env)


# ---- one handler ----------------------------------------------------------------------------------

def invoke(state, payload: dict) -> dict:
    """Call one handler with ``args_json``: ``{"step": {...}}`` as a one-step ``chain.run`` would record it."""
    handler = dict(payload["handler"], plugin_id=payload["plugin_id"])
    result = run_whole(state, {"run": "\u0000invoke", "mode": payload.get("mode", "filter"), "handlers": [handler],
                               "value": payload.get("value", '{"$js":"undefined"}'), "args": payload.get("args", "[]")})
    if isinstance(result, RawJson):
        result = json.loads(result.data)
        result["steps"] = row_steps(result.pop("rows"))
    return {"step": result["steps"][0], "value": result["value"]}


OPS = {"chain.run": run_whole, "chain.open": open_run, "chain.advance": advance, "chain.finish": finish,
       "chain.close": close, "handler.invoke": invoke}

