/*
 * Plugin Studio's runtime, installed in every plugin interpreter before any plugin code: globalThis.__ps.
 *
 * It captures `console` per step (capped, truncated with a note), keeps timers on a virtual clock
 * (each timer remembers the step that set it, so its console lines and errors are that step's),
 * loads handlers in the shapes the runner accepts (strict mode), runs chains as the storefront's
 * HookSystem/EventSystem do (PLATFORM.md §2.1-2.2: objects by reference, `undefined` keeps the
 * value, a throwing handler skipped, an async handler's Promise handed on), implements `require`
 * over the plugin's own scripts and `pluginData` through the host, and encodes values as tagged
 * JSON (models/js_value.py) so NaN, ±Infinity, -0 and undefined survive the trip.
 *
 * Python reaches it through exported functions named ps.* (see runner/engine.py).
 */
(function (callPython) {
  'use strict';
  const ps = {};
  const g = globalThis;
  const hasOwn = Object.prototype.hasOwnProperty;
  const clock = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

  // ---- values as tagged JSON ---------------------------------------------------------------
  function replacer(key, v) {
    switch (typeof v) {
      case 'number':
        if (v !== v) return {$js: 'NaN'};
        if (v === Infinity) return {$js: 'Infinity'};
        if (v === -Infinity) return {$js: '-Infinity'};
        if (v === 0 && 1 / v < 0) return {$js: '-0'};
        return v;
      case 'undefined': return {$js: 'undefined'};
      case 'bigint': return {$js: 'bigint', value: String(v)};
      case 'function': return {$js: 'function', name: v.name || ''};
      case 'symbol': return {$js: 'symbol', name: String(v.description || '')};
      case 'object':
        if (v === null) return v;
        if (v instanceof Promise) return {$js: 'Promise'};
        if (!Array.isArray(v) && hasOwn.call(v, '$js')) {
          return {$js: 'object', entries: Object.keys(v).map(k => [k, v[k]])};
        }
        return v;
      default: return v;
    }
  }
  function reviver(key, v) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof v.$js !== 'string') return v;
    switch (v.$js) {
      case 'NaN': return NaN;
      case 'Infinity': return Infinity;
      case '-Infinity': return -Infinity;
      case '-0': return -0;
      case 'undefined': return undefined;
      case 'bigint': return BigInt(v.value);
      case 'Promise': return Promise.resolve();
      case 'object': { const o = {}; for (const [k, x] of v.entries) o[k] = x; return o; }
      default: return v;
    }
  }
  // Arrays keep undefined holes through the reviver only if we put them back ourselves.
  function restoreUndefined(value) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const x = value[i];
        if (x !== null && typeof x === 'object') {
          if (x.$js === 'undefined' && Object.keys(x).length === 1) value[i] = undefined; else restoreUndefined(x);
        }
      }
    } else if (value !== null && typeof value === 'object') {
      for (const k of Object.keys(value)) {
        const x = value[k];
        if (x !== null && typeof x === 'object') {
          if (x.$js === 'undefined' && Object.keys(x).length === 1) value[k] = undefined; else restoreUndefined(x);
        }
      }
    }
    return value;
  }
  ps.encode = function (v) {
    // Plain numbers and strings need no replacer (the common value of a price filter).
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' && v === v && v !== Infinity && v !== -Infinity && (v !== 0 || 1 / v > 0)) return String(v);
    const text = JSON.stringify(v, replacer);
    return text === undefined ? '{"$js":"undefined"}' : text;
  };
  ps.decode = function (text) {
    if (text.indexOf('"$js"') < 0) return JSON.parse(text);
    return restoreUndefined(JSON.parse(text, (k, v) => (v !== null && typeof v === 'object' && v.$js === 'undefined' ? v : reviver(k, v))));
  };
  // A snapshot for a trace: never throws (circular values and getters that throw are described).
  ps.snapshotLimit = 1000000;
  ps.snapshot = function (v) {
    let text;
    try { text = ps.encode(v); } catch (e) {
      return JSON.stringify({$js: 'unserializable', message: String(e && e.message || e)});
    }
    if (text.length > ps.snapshotLimit) {
      return JSON.stringify({$js: 'truncated', size: text.length, preview: text.slice(0, 2000)});
    }
    return text;
  };

  // ---- console, per step, capped -----------------------------------------------------------
  ps.consoleLimit = 1000000;      // characters kept per call
  ps.lineLimit = 10000;           // characters kept per line
  let lines = [], used = 0, dropped = 0, droppedLines = 0;
  let currentStep = -1;           // the step whose code is running (timers and promise jobs inherit it)
  ps.setStep = function (step) { currentStep = step; };

  function show(v) {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (typeof v === 'function') return '[Function' + (v.name ? ': ' + v.name : ' (anonymous)') + ']';
    if (v instanceof Error) return v.name + ': ' + v.message;
    if (typeof v === 'bigint') return String(v) + 'n';
    if (typeof v === 'number' || typeof v === 'symbol') return String(v === 0 && 1 / v < 0 ? '-0' : v);
    try { const s = JSON.stringify(v, (k, x) => (typeof x === 'number' && !isFinite(x) ? String(x) : x));
      return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  }
  function record(level, text) {
    if (used + text.length > ps.consoleLimit) { dropped += text.length; droppedLines++; return; }
    used += text.length + 1;
    lines.push({level: level, text: text, step: currentStep});
  }
  // Huge arguments are cut before they are joined, so a 100 MB string is never copied whole.
  function write(level, args) {
    const parts = [];
    let total = 0;
    for (let i = 0; i < args.length; i++) {
      const s = show(args[i]);
      total += s.length + (i ? 1 : 0);
      parts.push(s.length > ps.lineLimit ? s.slice(0, ps.lineLimit) : s);
    }
    let text = parts.join(' ');
    if (total > ps.lineLimit) {
      text = text.slice(0, ps.lineLimit) + ' … [line truncated: ' + total + ' characters in all]';
    }
    record(level, text);
  }
  ps.record = record;
  g.console = Object.freeze({
    log: function () { write('log', arguments); },
    info: function () { write('info', arguments); },
    debug: function () { write('debug', arguments); },
    warn: function () { write('warn', arguments); },
    error: function () { write('error', arguments); },
    trace: function () { write('trace', arguments); },
    table: function () { write('log', arguments); },
    group: function () { write('log', arguments); }, groupEnd: function () {},
    time: function () {}, timeEnd: function () {}, assert: function (ok) {
      if (!ok) write('error', ['Assertion failed:'].concat(Array.prototype.slice.call(arguments, 1)));
    },
  });
  ps.takeConsole = function () {
    const out = lines;
    if (dropped) {
      out.push({level: 'warn', step: currentStep,
                text: '[console output truncated: ' + dropped + ' more characters in ' + droppedLines +
                      ' line(s) over the limit of ' + ps.consoleLimit + ']'});
    }
    lines = []; used = 0; dropped = 0; droppedLines = 0;
    return out;
  };

  // ---- errors, capped ------------------------------------------------------------------------
  ps.errorLimit = 10000;
  function cap(text, limit) {
    return text.length > limit ? text.slice(0, limit) + ' … [truncated: ' + text.length + ' characters in all]' : text;
  }
  function failure(e) {
    const isError = e !== null && typeof e === 'object' && 'message' in e;
    const name = isError && typeof e.name === 'string' ? e.name : 'Error';
    let message;
    try { message = isError ? String(e.message) : 'a non-Error value was thrown: ' + show(e); } catch (x) { message = '?'; }
    let stack = isError && typeof e.stack === 'string' ? e.stack : '';
    let kind = 'exception';
    if (name === 'InternalError' && /out of memory/.test(message)) kind = 'memory';
    else if (name === 'RangeError' && /call stack size/.test(message)) kind = 'stack';
    return {kind: kind, name: cap(name, 200), message: cap(message, ps.errorLimit), stack: cap(stack, 4 * ps.errorLimit)};
  }
  ps.failure = failure;

  // ---- virtual-time timers -------------------------------------------------------------------
  let now = 0, timers = [], timerSeq = 0;
  function addTimer(fn, ms, args, every) {
    if (typeof fn !== 'function') throw new TypeError('setTimeout/setInterval need a function (strings are not evaluated)');
    const id = ++timerSeq;
    const delay = Math.max(0, Number(ms) || 0);
    timers.push({id: id, at: now + delay, fn: fn, args: args, every: every ? Math.max(1, delay) : 0, step: currentStep});
    return id;
  }
  g.setTimeout = function (fn, ms, ...args) { return addTimer(fn, ms, args, false); };
  g.setInterval = function (fn, ms, ...args) { return addTimer(fn, ms, args, true); };
  g.clearTimeout = g.clearInterval = function (id) { timers = timers.filter(t => t.id !== id); };
  g.queueMicrotask = g.queueMicrotask || (fn => { Promise.resolve().then(fn); });
  ps.resetTimers = function () { timers = []; now = 0; };
  ps.nextTimerAt = function () {
    let at = null;
    for (const t of timers) if (at === null || t.at < at) at = t.at;
    return at;
  };
  ps.virtualNow = () => now;
  // Fire the earliest timer: its console lines and error belong to the step that set it.
  ps.fireNextTimer = function () {
    if (!timers.length) return null;
    let k = 0;
    for (let i = 1; i < timers.length; i++) if (timers[i].at < timers[k].at) k = i;
    const t = timers.splice(k, 1)[0];
    now = t.at;
    if (t.every) timers.push({id: t.id, at: now + t.every, fn: t.fn, args: t.args, every: t.every, step: t.step});
    currentStep = t.step;
    let error = null;
    try { t.fn.apply(undefined, t.args); } catch (e) { error = failure(e); }
    return {step: t.step, at: t.at, error: error};
  };

  // ---- no process, no filesystem -------------------------------------------------------------
  function unavailable(what) {
    return function () { throw new Error(what + ' is not available to plugin code (no process access in the sandbox)'); };
  }
  ps.processStub = Object.freeze({
    env: Object.freeze({}), argv: Object.freeze([]), platform: 'plugin-sandbox',
    exit: unavailable('process.exit()'), kill: unavailable('process.kill()'), abort: unavailable('process.abort()'),
    cwd: unavailable('process.cwd()'), chdir: unavailable('process.chdir()'), on: unavailable('process.on()'),
    nextTick: function (fn, ...args) { Promise.resolve().then(() => fn.apply(undefined, args)); },
  });

  // ---- notes: where the storefront would behave differently ----------------------------------
  let notes = [];
  ps.note = function (text) { if (notes.indexOf(text) < 0) notes.push(text); };
  ps.takeNotes = function () { const out = notes; notes = []; return out; };

  // ---- require over the plugin's own scripts and dependencies -------------------------------
  const modules = {};
  ps.frontend = false;
  function makeRequire(fromId) {
    function require(spec) {
      if (ps.frontend) ps.note('require() does not exist in the storefront\'s browser code: there this call throws ReferenceError');
      const r = callPython('ps.resolve', fromId, String(spec));
      if (r.error) { const e = new Error(r.error); e.code = r.code || 'MODULE_NOT_FOUND'; throw e; }
      if (r.note) ps.note(r.note);
      if (modules[r.id]) return modules[r.id].exports;
      const src = callPython('ps.source', r.id);
      if (src.error) { throw new SyntaxError(src.error); }
      for (const n of src.notes || []) ps.note(n);
      const factory = (0, eval)(src.source);
      const module = {id: r.id, filename: r.id, exports: {}, loaded: false};
      module.require = makeRequire(r.id);
      modules[r.id] = module;
      try {
        factory.call(module.exports, module.exports, module.require, module, r.id, r.id.split('/').slice(0, -1).join('/'));
      } catch (e) { delete modules[r.id]; throw e; }
      module.loaded = true;
      return module.exports;
    }
    return require;
  }
  ps.makeRequire = makeRequire;

  // ---- pluginData through the host -----------------------------------------------------------
  function dataCall(op, key, value) {
    if (ps.frontend) ps.note('pluginData is not defined in the storefront\'s browser code (the platform gives it to backend code only): there this call throws ReferenceError');
    // Stored as the platform's pg driver stores a value: JSON.stringify's JSON (NaN becomes null).
    const json = value === undefined ? null : JSON.stringify(value);
    const r = callPython('ps.data', op, key === undefined ? null : String(key), json === undefined ? null : json);
    if (r.stop) { for (;;) {} }  // the call's time is up: the interrupt handler ends it here, uncatchably
    if (r.error) return Promise.reject(new Error(r.error));
    return Promise.resolve(r.json === null || r.json === undefined ? undefined : JSON.parse(r.json));
  }
  ps.pluginData = Object.freeze({
    get: key => dataCall('get', key),
    set: (key, value) => dataCall('set', key, value),
    delete: key => dataCall('delete', key),
    list: () => dataCall('list'),
  });

  // ---- handlers ------------------------------------------------------------------------------
  const handlers = {};
  function pick(result, exports) {
    if (typeof result === 'function') return result;
    if (typeof exports === 'function') return exports;
    if (exports && typeof exports.default === 'function') return exports.default;
    return result !== undefined ? result : exports;
  }
  // Compile each candidate source in turn (compiling a factory runs no plugin code); run the
  // first that compiles. Returns {status: ok} or {status: syntax, errors: [...]} or a load error.
  ps.define = function (key, candidates, moduleId) {
    const errors = [];
    currentStep = -1;
    for (const source of candidates) {
      let factory;
      try { factory = (0, eval)(source); } catch (e) { errors.push(failure(e)); continue; }
      const module = {id: moduleId, exports: {}};
      let result;
      try {
        result = factory.call(undefined, module.exports, makeRequire(moduleId), module, moduleId, '');
      } catch (e) { ps.takeConsole(); return {status: 'error', error: failure(e)}; }
      ps.takeConsole();
      const fn = pick(result, module.exports);
      if (typeof fn !== 'function') {
        return {status: 'error', error: failure(new TypeError('the code does not produce a function (got ' +
          (fn === null ? 'null' : typeof fn) + '): write `export default function (...) { ... }`'))};
      }
      handlers[key] = fn;
      return {status: 'ok'};
    }
    ps.takeConsole();
    return {status: 'syntax', errors: errors};
  };

  // ---- chains --------------------------------------------------------------------------------
  // A run's live value and arguments, while this interpreter holds them (by reference).
  // A Map: each run's id is a new key, and adding and deleting new keys reshapes a plain object every time.
  const live = new Map();
  ps.importLive = function (run, valueJson, argsJson) {
    live.set(run, {value: ps.decode(valueJson), args: ps.decode(argsJson), pending: -1});
  };
  ps.exportLive = function (run) {
    const l = live.get(run);
    live.delete(run);
    return l ? [ps.snapshotFull(l.value), ps.snapshotFull(l.args)] : null;
  };
  ps.dropLive = function (run) { live.delete(run); };
  ps.snapshotFull = function (v) {
    try { return ps.encode(v); } catch (e) { return '{"$js":"undefined"}'; }
  };

  // Run handlers `keys` (steps `numbers`) of run `run` in `mode` (filter | action | event), as
  // HookSystem.apply / do and EventSystem.emit run them, each with its own time limit (ps.arm).
  // With `trace`, each step records the value before and after (snapshots), its console, how long
  // it took. `partial` keeps the progress, so a step stopped by the time limit loses no other.
  let partial = null;   // {record, running: the step running (-1 between two), input: the value it was given}
  ps.takePartial = function () {
    return partial && {steps: stepObjects(partial.record), running: partial.running >= 0 ? {step: partial.running} : null,
                       input: partial.input};
  };
  // Counted up as each handler starts: the worker's interrupt handler reads it to give every
  // handler its own time limit (runner/quickjs.py), without a call into Python per handler.
  const stepClock = ps.stepClock = new Int32Array(new ArrayBuffer(4));
  // Steps are recorded SLOTS to a step in one flat array, so that a plain step makes no object (making one
  // costs QuickJS about as much as running a small handler): step number, status, duration in whole
  // microseconds, output (snapshot text; null untraced), input (null: the previous step's output, since
  // nothing runs between two steps), extras (null, or what the step has of console, notes, error,
  // async, returned).
  const SLOTS = 6;
  function recordSteps(run, mode, keys, numbers, trace) {
    const l = live.get(run);
    const rec = [];
    const filter = mode === 'filter';
    let previous = trace ? ps.snapshot(l.value) : null;
    partial = {record: rec, running: -1, input: previous};
    for (let i = 0; i < keys.length; i++) {
      const step = numbers[i];
      const fn = handlers[keys[i]];
      const before = l.value;
      currentStep = partial.running = step;
      partial.input = previous;
      let status = 'ok', extras = null, r;
      stepClock[0]++;
      const started = clock();
      try {
        r = callHandler(fn, l.value, l.args);
        if (filter) {
          if (r !== undefined) l.value = r; else status = 'kept';
        } else if (r !== undefined && trace) {
          extras = {returned: ps.snapshot(r)};  // HookSystem.do and EventSystem.emit ignore it; shown all the same
        }
        if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof r.then === 'function') {
          l.pending = step;
          (extras = extras || {}).async = true;
        }
      } catch (e) {
        status = 'error';
        (extras = extras || {}).error = failure(e);
      }
      const micros = Math.round((clock() - started) * 1000);
      const input = i === 0 ? previous : null;
      if (trace) {
        const v = l.value;
        previous = sameText(v, before) ? previous : finite(v) ? '' + v : ps.snapshot(v);
      }
      if (lines.length || dropped) (extras = extras || {}).console = ps.takeConsole();
      if (notes.length) (extras = extras || {}).notes = ps.takeNotes();
      rec.push(step, status, micros, previous, input, extras);
      partial.running = -1;
    }
    // Promise jobs run when this eval returns; their console lines go to the last async step.
    if (l.pending >= 0) currentStep = l.pending;
    return rec;
  }
  // The record as step objects {step, status, duration_ms, output?, input?, ...extras}.
  function stepObjects(rec) {
    const steps = [];
    for (let k = 0; k < rec.length; k += SLOTS) {
      const out = {step: rec[k], status: rec[k + 1], duration_ms: rec[k + 2] / 1000};
      if (rec[k + 3] !== null) out.output = rec[k + 3];
      if (rec[k + 4] !== null) out.input = rec[k + 4];
      if (rec[k + 5] !== null) Object.assign(out, rec[k + 5]);
      steps.push(out);
    }
    return steps;
  }
  function failed(rec) {
    for (let k = 1; k < rec.length; k += SLOTS) if (rec[k] === 'error') return true;
    return false;
  }
  ps.runGroup = function (run, mode, keys, numbers, trace) {
    const late = ps.takeConsole();
    return {late: late, steps: stepObjects(recordSteps(run, mode, keys, numbers, trace))};
  };
  // `handler(value, ...args)` as HookSystem calls it, without a spread for up to two arguments: QuickJS
  // makes a spread call cost three plain ones, and a chain makes one call per handler.
  function callHandler(fn, value, args) {
    switch (args.length) {
      case 0: return fn(value);
      case 1: return fn(value, args[0]);
      case 2: return fn(value, args[0], args[1]);
      default: return fn(value, ...args);
    }
  }
  // Whether `now` must have the snapshot text `before` had: the same primitive (objects may have changed
  // in place; 0 and -0 are equal but written differently). Saves writing a kept value again.
  // A number whose text JSON has (not NaN, ±Infinity or -0): written without the snapshot's checks.
  function finite(v) {
    return typeof v === 'number' && v - v === 0 && (v !== 0 || 1 / v > 0);
  }
  function sameText(now, before) {
    return now === before && now !== 0 && (now === null || (typeof now !== 'object' && typeof now !== 'function'));
  }

  // A whole run whose handlers all belong to this interpreter, in one call: the value in, the
  // steps, the value out (timers left for the worker to run: `timersAt`). A plain run (no step
  // failed, no timer set, no Promise handed on, nothing logged before it) is answered as the text the
  // worker sends on unparsed (`plainAnswer`).
  ps.runAlone = function (run, mode, keys, numbers, valueJson, argsJson) {
    ps.resetTimers();
    ps.importLive(run, valueJson, argsJson);
    const late = ps.takeConsole();
    const rec = recordSteps(run, mode, keys, numbers, true);
    const timersAt = ps.nextTimerAt();
    if (timersAt === null && !late.length && live.get(run).pending < 0 && !failed(rec)) {
      const value = ps.snapshotFull(live.get(run).value);
      live.delete(run);
      return plainAnswer(rec, value);
    }
    const result = {late: late, steps: stepObjects(rec), timersAt: timersAt};
    if (timersAt === null) result.live = ps.exportLive(run);
    return result;
  };
  // runAlone for Caller.call_text: 'P' and the plain answer's text, or 'R' and the result as JSON.
  ps.runAloneText = function (run, mode, valueJson, argsJson, keys, numbers) {
    const result = ps.runAlone(run, mode, keys, numbers, valueJson, argsJson);
    return typeof result === 'string' ? 'P' + result : 'R' + JSON.stringify(result);
  };
  // chain.run's answer written once, here: {"value", "late", "timers", "rows"}, "rows" being the record
  // itself (SLOTS to a step). The worker sends it on unparsed; JSON.stringify writes it in C.
  function plainAnswer(rec, valueText) {
    return '{"value":' + JSON.stringify(valueText) + ',"late":[],"timers":{"fired":0,"errors":[],"left":0},"rows":' +
      JSON.stringify(rec) + '}';
  }
  ps.takeLate = function () { return {console: ps.takeConsole(), notes: ps.takeNotes()}; };

  // Many values through the handlers of one plugin, no trace (throughput). `valuesJson`: the values as
  // one tagged JSON array; `argsJson`: one arguments array for every value, or (`perItem`) an array of
  // them. Each value gets arguments of its own (decoded afresh unless they are all primitives, which no
  // handler can change). `needArgs`: the arguments go on to another plugin, so they travel back too.
  // The answer's values are one JSON array text again: one parse and one string each way, not one per value.
  ps.batch = function (mode, keys, valuesJson, argsJson, perItem, needArgs) {
    const values = ps.decode(valuesJson), errors = [];
    const argsList = perItem ? ps.decode(argsJson) : null;
    const shared = perItem ? null : ps.decode(argsJson);
    const fresh = !perItem && shared.some(a => a !== null && (typeof a === 'object' || typeof a === 'function'));
    const fns = keys.map(k => handlers[k]);
    const filter = mode === 'filter';
    const outValues = new Array(values.length), outArgs = needArgs ? new Array(values.length) : null;
    for (let n = 0; n < values.length; n++) {
      let value = values[n];
      const args = perItem ? argsList[n] : fresh ? ps.decode(argsJson) : shared;
      const spread = args.length > 0;
      const one = args.length === 1 ? args[0] : undefined;
      for (let i = 0; i < fns.length; i++) {
        try {
          const r = !spread ? fns[i](value) : one !== undefined ? fns[i](value, one) : fns[i](value, ...args);
          if (filter && r !== undefined) value = r;
        } catch (e) { errors.push([n, keys[i], failure(e)]); }
      }
      outValues[n] = ps.snapshotFull(value);
      if (needArgs) outArgs[n] = ps.snapshotFull(args);
    }
    lines = []; used = 0; dropped = 0; droppedLines = 0;
    notes = [];
    return {values: '[' + outValues.join(',') + ']', args: needArgs ? '[' + outArgs.join(',') + ']' : null,
            errors: errors};
  };

  // Backend scripts: require one (running its top level), then maybe call one of its exports.
  let pending = null;
  ps.loadScript = function (id) {
    ps.resetTimers();
    let exp;
    try { exp = makeRequire('')('./' + id); } catch (e) { return finish(failureOutcome(e)); }
    const names = exp !== null && (typeof exp === 'object' || typeof exp === 'function') ? Object.keys(exp) : [];
    return Object.assign(finish({status: 'undefined'}), {exports: names, callable: typeof exp === 'function'});
  };
  ps.callExport = function (id, name, args) {
    const exp = makeRequire('')('./' + id);
    const fn = name === 'default' && typeof exp === 'function' ? exp : exp[name];
    if (typeof fn !== 'function') return finish(failureOutcome(new TypeError(id + ' exports no function named ' + name)));
    let r;
    try { r = fn.apply(undefined, ps.decode(args)); } catch (e) { return finish(failureOutcome(e)); }
    if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof r.then === 'function') {
      const p = pending = {settled: false, outcome: null};
      Promise.resolve(r).then(v => { p.settled = true; p.outcome = success(v); },
                              e => { p.settled = true; p.outcome = failureOutcome(e); });
      return {status: 'pending'};
    }
    return finish(success(r));
  };
  function failureOutcome(e) { return {status: 'error', error: failure(e)}; }
  function success(v) {
    if (v === undefined) return {status: 'undefined'};
    return {status: 'ok', json: ps.snapshotFull(v)};
  }
  function finish(outcome) {
    outcome.console = ps.takeConsole();
    return outcome;
  }
  // After an eval returns (promise jobs drained): the outcome, or fire the next timer and wait.
  ps.poll = function () {
    if (!pending) return finish(failureOutcome(new Error('nothing is pending')));
    if (pending.settled) { const o = pending.outcome; pending = null; return finish(o); }
    const fired = ps.fireNextTimer();
    if (fired) {
      if (fired.error) record('error', 'Uncaught ' + fired.error.name + ': ' + fired.error.message);
      return {status: 'pending'};
    }
    pending = null;
    return finish(failureOutcome(new Error('the returned promise never settles (no timer or job is left to run)')));
  };

  // Debugger: a condition over value and args, evaluated in a scratch interpreter.
  ps.condition = function (expression, valueJson, argsJson) {
    try {
      const f = new Function('value', 'args', '"use strict"; return (' + expression + '\n);');
      return {status: 'ok', value: !!f(ps.decode(valueJson), ps.decode(argsJson))};
    } catch (e) { return {status: 'error', error: failure(e)}; }
  };

  // The worker's calls (runner/quickjs.py Caller): JSON text in, JSON text out.
  ps.dispatch = function (name, argsJson) {
    const result = ps[name].apply(null, JSON.parse(argsJson));
    return result === undefined ? undefined : JSON.stringify(result);
  };
  // For functions that answer with text written for the worker's pipe already (Caller.call_text).
  ps.dispatchText = function (name, argsJson) {
    return ps[name].apply(null, JSON.parse(argsJson));
  };

  g.__ps = ps;
})(globalThis.call_python);
0;
