"""The JavaScript installed in every plugin context before any plugin code: ``globalThis.__ps``.

It captures ``console`` (bounded by the output limit), keeps virtual-time timers, stubs
``process`` so its use fails clearly, implements ``require`` over the plugin's own scripts and
``pluginData`` through the host, and invokes handlers, reporting each outcome as plain JSON.
Python reaches it through exported functions named ``ps.*``.
"""

RUNTIME = r"""
(function (callPython) {
  'use strict';
  const ps = {};
  const g = globalThis;

  // ---- console ------------------------------------------------------------------------------
  class OutputLimitError extends Error {
    constructor(message) { super(message); this.name = 'OutputLimitError'; }
  }
  let lines = [], used = 0, outputHit = false;
  ps.consoleLimit = 1000000;

  function show(v) {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (typeof v === 'function') return '[Function' + (v.name ? ': ' + v.name : '') + ']';
    if (v instanceof Error) return v.name + ': ' + v.message;
    if (typeof v === 'bigint') return String(v) + 'n';
    try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  }
  function write(level, args) {
    if (outputHit) throw new OutputLimitError('console output limit of ' + ps.consoleLimit + ' characters reached');
    const parts = Array.prototype.map.call(args, show);
    let size = parts.length;
    for (const p of parts) size += p.length;
    if (used + size > ps.consoleLimit) {
      outputHit = true;
      const room = Math.max(0, ps.consoleLimit - used);
      lines.push({level: level, text: parts.join(' ').slice(0, Math.min(room, 200)) + ' … [output truncated]'});
      throw new OutputLimitError('console output limit of ' + ps.consoleLimit + ' characters reached (a write of ' + size + ' characters)');
    }
    used += size;
    lines.push({level: level, text: parts.join(' ')});
  }
  g.console = {
    log: function () { write('log', arguments); },
    info: function () { write('info', arguments); },
    debug: function () { write('debug', arguments); },
    warn: function () { write('warn', arguments); },
    error: function () { write('error', arguments); },
  };
  ps.takeConsole = function () {
    const out = {lines: lines, truncated: outputHit};
    lines = []; used = 0; outputHit = false;
    return out;
  };

  // ---- virtual-time timers -------------------------------------------------------------------
  let now = 0, timers = [], timerSeq = 0, firings = 0;
  function addTimer(fn, ms, args, every) {
    if (typeof fn !== 'function') throw new TypeError('setTimeout/setInterval need a function');
    const id = ++timerSeq;
    const delay = Math.max(0, Number(ms) || 0);
    timers.push({id: id, at: now + delay, fn: fn, args: args, every: every ? Math.max(1, delay) : 0});
    return id;
  }
  g.setTimeout = function (fn, ms, ...args) { return addTimer(fn, ms, args, false); };
  g.setInterval = function (fn, ms, ...args) { return addTimer(fn, ms, args, true); };
  g.clearTimeout = g.clearInterval = function (id) { timers = timers.filter(t => t.id !== id); };
  ps.fireNextTimer = function () {
    if (!timers.length) return false;
    if (++firings > 10000) throw new Error('timers fired more than 10000 times in one call');
    timers.sort((a, b) => a.at - b.at || a.id - b.id);
    const t = timers.shift();
    now = t.at;
    if (t.every) timers.push({id: t.id, at: now + t.every, fn: t.fn, args: t.args, every: t.every});
    try { t.fn.apply(undefined, t.args); } catch (e) { write('error', ['Uncaught in timer callback:', e]); }
    return true;
  };
  ps.resetTimers = function () { timers = []; firings = 0; };

  // ---- no process, no filesystem -------------------------------------------------------------
  function unavailable(what) {
    return function () { throw new Error(what + ' is not available to plugin code (no process access in the sandbox)'); };
  }
  g.process = Object.freeze({
    env: Object.freeze({}), argv: Object.freeze([]), platform: 'plugin-sandbox',
    exit: unavailable('process.exit()'), kill: unavailable('process.kill()'), abort: unavailable('process.abort()'),
    cwd: unavailable('process.cwd()'), chdir: unavailable('process.chdir()'), on: unavailable('process.on()'),
    nextTick: function (fn, ...args) { Promise.resolve().then(() => fn.apply(undefined, args)); },
  });

  // ---- require over the plugin's own scripts and dependencies -------------------------------
  const modules = {};
  function makeRequire(fromId) {
    function require(spec) {
      const r = callPython('ps.resolve', fromId, String(spec));
      if (r.error) { const e = new Error(r.error); e.code = r.code || 'MODULE_NOT_FOUND'; throw e; }
      if (modules[r.id]) return modules[r.id].exports;
      const src = callPython('ps.source', r.id);
      if (src.error) { const e = new SyntaxError(src.error); throw e; }
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
  g.require = makeRequire('');
  ps.forgetModules = function () { for (const k of Object.keys(modules)) delete modules[k]; };

  // ---- pluginData through the host -----------------------------------------------------------
  function dataCall(op, key, value) {
    const r = callPython('ps.data', op, key === undefined ? null : String(key), value === undefined ? null : value);
    return r.error ? Promise.reject(new Error(r.error)) : Promise.resolve(r.value === null && op === 'get' ? undefined : r.value);
  }
  g.pluginData = Object.freeze({
    get: key => dataCall('get', key),
    set: (key, value) => dataCall('set', key, value),
    delete: key => dataCall('delete', key),
    list: () => dataCall('list'),
  });

  // ---- outcomes ------------------------------------------------------------------------------
  function failure(e) {
    let kind = 'exception';
    if (outputHit || (e && e.name === 'OutputLimitError')) kind = 'output';
    else if (e && e.name === 'InternalError' && /out of memory/.test(e.message)) kind = 'memory';
    else if (e && e.name === 'RangeError' && /call stack size/.test(e.message)) kind = 'stack';
    const isError = e !== null && typeof e === 'object' && 'message' in e;
    return {status: 'error', error: {
      kind: kind, name: isError && e.name ? String(e.name) : 'Error',
      message: isError ? String(e.message) : 'a non-Error value was thrown: ' + show(e),
      stack: isError && typeof e.stack === 'string' ? e.stack : '',
    }};
  }
  function success(v) {
    if (v === undefined) return {status: 'undefined'};
    let json;
    try { json = JSON.stringify(v); } catch (e) {
      return failure(new TypeError("the returned value can't be serialised as JSON: " + e.message));
    }
    if (json === undefined) return failure(new TypeError('the returned ' + typeof v + " can't be passed on as a value"));
    return {status: 'ok', json: json};
  }
  function finish(outcome) {
    const c = ps.takeConsole();
    outcome.console = c.lines;
    if (c.truncated && outcome.status !== 'error') {
      return finish(Object.assign(failure(new OutputLimitError('console output limit reached')), {}));
    }
    return outcome;
  }

  // ---- handlers ------------------------------------------------------------------------------
  const handlers = {};
  let pending = null;

  // Compile each candidate source in turn (compiling a factory runs no plugin code); run the
  // first that compiles. Returns {ok} or {errors: [...]} (one per candidate, in order).
  ps.define = function (key, candidates, moduleId) {
    const errors = [];
    for (const source of candidates) {
      let factory;
      try { factory = (0, eval)(source); } catch (e) { errors.push(failure(e).error); continue; }
      const module = {id: moduleId, exports: {}};
      let result;
      try {
        result = factory.call(module.exports, module.exports, makeRequire(moduleId), module, moduleId, '');
      } catch (e) { return finish({status: 'error', phase: 'load', error: failure(e).error}); }
      const fn = pick(result, module.exports);
      if (typeof fn !== 'function') {
        return finish(failure(new TypeError('the code does not produce a function (got ' + (fn === null ? 'null' : typeof fn) +
          '): write `export default function (...) { ... }`')));
      }
      handlers[key] = fn;
      return finish({status: 'ok'});
    }
    ps.takeConsole();
    return {status: 'syntax', errors: errors};
  };
  function pick(result, exports) {
    if (typeof result === 'function') return result;
    if (typeof exports === 'function') return exports;
    if (exports && typeof exports.default === 'function') return exports.default;
    return result !== undefined ? result : exports;
  }
  ps.has = key => typeof handlers[key] === 'function';

  // Compile only (creating a factory runs none of its code): the index of the first candidate
  // that compiles, or every candidate's error.
  ps.compile = function (candidates) {
    const errors = [];
    for (let i = 0; i < candidates.length; i++) {
      try { (0, eval)(candidates[i]); return {status: 'ok', index: i}; } catch (e) { errors.push(failure(e).error); }
    }
    return {status: 'syntax', errors: errors};
  };

  ps.invoke = function (key, args) {
    ps.takeConsole();
    ps.resetTimers();
    return start(handlers[key], args);
  };

  // Backend scripts: require one (running its top level), then maybe call one of its exports.
  ps.loadScript = function (id) {
    ps.takeConsole();
    ps.resetTimers();
    let exp;
    try { exp = g.require('./' + id); } catch (e) { return finish(failure(e)); }
    const names = exp !== null && (typeof exp === 'object' || typeof exp === 'function') ? Object.keys(exp) : [];
    return Object.assign(finish({status: 'undefined'}), {exports: names, callable: typeof exp === 'function'});
  };
  ps.callExport = function (id, name, args) {
    const exp = g.require('./' + id);
    const fn = name === 'default' && typeof exp === 'function' ? exp : exp[name];
    if (typeof fn !== 'function') return finish(failure(new TypeError(id + ' exports no function named ' + name)));
    return start(fn, args);
  };

  function start(fn, args) {
    let r;
    try { r = fn.apply(undefined, args); } catch (e) { return finish(failure(e)); }
    if (r !== null && (typeof r === 'object' || typeof r === 'function') && typeof r.then === 'function') {
      const p = pending = {settled: false, outcome: null};
      Promise.resolve(r).then(v => { p.settled = true; p.outcome = success(v); },
                              e => { p.settled = true; p.outcome = failure(e); });
      return {status: 'pending'};
    }
    return finish(success(r));
  };

  // After an eval returns (promise jobs drained): the outcome, or fire the next timer and wait.
  ps.poll = function () {
    if (!pending) return finish(failure(new Error('nothing is pending')));
    if (pending.settled) { const o = pending.outcome; pending = null; return finish(o); }
    if (ps.fireNextTimer()) return {status: 'pending'};
    pending = null;
    return finish(failure(new Error('the returned promise never settles (no timer or job is left to run)')));
  };

  // The batched chain: every value through every handler; `undefined` keeps the value and a
  // throwing handler is skipped (its error kept). Async handlers are awaited.
  ps.batch = function (keys, kind, items) {
    const out = {values: [], errors: []};
    let running = 0;
    items.forEach(function (item, i) {
      running++;
      runOne(keys, kind, item).then(function (r) { out.values[i] = r.value; if (r.errors.length) out.errors.push([i, r.errors]); running--; });
    });
    ps.batchResult = {out: out, done: () => running === 0};
    // Each item finishes in a promise job, so the first look is after this eval drained them.
    return {status: 'pending'};
  };
  async function runOne(keys, kind, item) {
    let value = item.value;
    const errors = [];
    for (const key of keys) {
      let r;
      try {
        r = kind === 'filter' ? handlers[key].apply(undefined, [value].concat(item.args)) : handlers[key].apply(undefined, item.args);
        if (r !== null && typeof r === 'object' && typeof r.then === 'function') r = await r;
      } catch (e) { errors.push([key, failure(e).error]); continue; }
      if (kind === 'filter' && r !== undefined) value = r;
    }
    return {value: value, errors: errors};
  }
  ps.batchPoll = function () {
    const b = ps.batchResult;
    if (b.done()) { ps.batchResult = null; ps.takeConsole(); return {status: 'ok', result: b.out}; }
    if (ps.fireNextTimer()) return {status: 'pending'};
    return {status: 'error', error: {kind: 'exception', name: 'Error', message: 'a handler returned a promise that never settles', stack: ''}};
  };

  // Debugger: a condition over value and args, evaluated in a scratch context.
  ps.condition = function (expression, value, args) {
    try {
      return {status: 'ok', value: !!(new Function('value', 'args', 'return (' + expression + '\n);'))(value, args)};
    } catch (e) { return failure(e); }
  };

  g.__ps = ps;
})(globalThis.call_python);
0;
"""
