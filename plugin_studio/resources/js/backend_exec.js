/*
 * Controllers and cron jobs as the platform runs them, installed on demand in a plugin's backend
 * interpreter (after plugin_runtime.js): __ps.controllerStart / controllerPoll, __ps.cronStart / cronPoll.
 *
 * Controllers (PLATFORM.md §3.4, the exec route): handler_code is compiled inside
 *   function anonymous(req, res, context) { const { supabase } = context; return (<code>)(req, res, { supabase }); }
 * with the route's closing text on the code's last line, as the platform's `new Function` has it; `res`
 * offers only json() and status(code).json(); a promise is awaited; nothing sent means
 * {success:true, message:'Controller executed successfully'} at the status set so far; a throw means
 * 500 {success:false, error: message} unless a response was already sent.
 *
 * Cron jobs (the platform's DynamicCronJob.executeInlineHandlerCode): handler_code is the body of
 *   async function anonymous(db, storeId, params, fetch, apiBaseUrl, console) { <code> }
 * and a run's result is {handler, executedAt, result}.
 *
 * Neither gets `require` or `pluginData` on the platform (its `new Function` runs in the server's global
 * scope); Plugin Studio gives both, as the platform's module loader gives backend scripts, and notes each
 * use. Neither gets a database: `supabase`/`db` are the platform's tenant client, which the IDE cannot
 * stand in for, so any use of them stops with an error that says so.
 */
(function (ps) {
  'use strict';
  const exactly = 'controllers';  // a marker: this file is installed

  // Reading these from the stand-in is harmless (printing it, awaiting it); anything else is a query.
  const INERT = new Set(['toJSON', 'then', 'name', 'length', 'constructor', 'prototype']);
  function noDatabase(name) {
    const refuse = function () {
      throw new Error(name + ' is the platform\'s tenant database client (Supabase); Plugin Studio cannot run ' +
                      'queries through it: keep data in pluginData to run this code here');
    };
    return new Proxy(refuse, {
      get: (t, key) => (typeof key === 'symbol' || INERT.has(key) ? undefined : refuse()),
      apply: refuse,
    });
  }

  function noted(message, fn) {
    return function () { ps.note(message); return fn.apply(this, arguments); };
  }
  function backendExtras(what) {
    const require = noted('require() is not defined where the platform runs ' + what + ' (its new Function runs ' +
                          'in the server\'s global scope): there this call throws ReferenceError', ps.makeRequire(''));
    const note = 'pluginData is not defined where the platform runs ' + what + ': there this call throws ReferenceError';
    const data = {};
    for (const key of Object.keys(ps.pluginData)) data[key] = noted(note, ps.pluginData[key]);
    return [require, Object.freeze(data)];
  }

  function compile(source) {
    try { return {factory: (0, eval)(source)}; } catch (e) { return {error: ps.failure(e)}; }
  }

  // ---- controllers ---------------------------------------------------------------------------
  let call = null;   // the request in flight: {response, promise state}

  function makeReq(r) {
    const params = Object.assign({pluginId: r.plugin_ref, 0: r.controller_path.slice(1)}, r.path_params,
                                 {0: r.controller_path});
    return {body: r.body_json === null ? {} : JSON.parse(r.body_json), query: r.query, params: params,
            headers: r.headers, ip: r.ip, user: r.user === null ? undefined : r.user, method: r.method};
  }

  function makeRes(response) {
    // Express's res.json: JSON.stringify of the one argument (the shim passes only the first).
    function json(data) {
      if (!response.sent) { response.text = JSON.stringify(data); response.sent = 'handler'; }
    }
    return {
      json: (data) => json(data),
      status: (code) => {
        if (!response.sent) response.http_status = code;
        return {json: (data) => json(data)};
      },
    };
  }

  function respondError(response, e) {
    response.error = ps.failure(e);
    if (response.sent) { response.swallowed = true; return; }
    let message;
    try { message = e.message; } catch (x) { message = undefined; }
    response.http_status = 500;
    response.text = JSON.stringify({success: false, error: message});
    response.sent = 'error';
  }

  function finishRequest() {
    const response = call.response;
    call = null;
    if (!response.sent) {
      response.text = JSON.stringify({success: true, message: 'Controller executed successfully'});
      response.sent = 'default';
    }
    response.console = ps.takeConsole();
    response.notes = ps.takeNotes();
    return Object.assign({status: 'done'}, response);
  }

  ps.controllerStart = function (source, request) {
    ps.resetTimers();
    ps.takeConsole();
    const response = {http_status: 200, sent: false, text: undefined};
    call = {response: response, settled: true};
    const compiled = compile(source);
    if (compiled.error) {
      response.compile = true;
      respondError(response, {message: compiled.error.message});
      response.error = compiled.error;
      return finishRequest();
    }
    const extras = backendExtras('controllers');
    let result;
    try {
      const handler = compiled.factory(extras[0], extras[1]);
      result = handler(makeReq(request), makeRes(response), {supabase: noDatabase('supabase')});
    } catch (e) { respondError(response, e); return finishRequest(); }
    if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
      call.settled = false;
      Promise.resolve(result).then(() => { call.settled = true; },
                                   e => { call.settled = true; respondError(response, e); });
      return {status: 'pending'};
    }
    return finishRequest();
  };

  ps.controllerPoll = function () {
    if (call.settled) return finishRequest();
    const fired = ps.fireNextTimer();
    if (fired) {
      if (fired.error) ps.record('error', 'Uncaught ' + fired.error.name + ': ' + fired.error.message);
      return {status: 'pending'};
    }
    const response = call.response;
    response.hang = true;
    call = null;
    response.console = ps.takeConsole();
    response.notes = ps.takeNotes();
    return Object.assign({status: 'done'}, response);
  };

  // ---- cron jobs -----------------------------------------------------------------------------
  let job = null;

  function finishJob(outcome) {
    job = null;
    outcome.console = ps.takeConsole();
    outcome.notes = ps.takeNotes();
    return outcome;
  }

  function jobResult(handlerMethod, value) {
    let text;
    try {
      text = JSON.stringify({handler: handlerMethod || 'inline', executedAt: new Date().toISOString(), result: value},
                            null, 2);
    } catch (e) { return {status: 'error', error: ps.failure(e)}; }
    return {status: 'ok', text: text};
  }

  function noNetwork() {
    return Promise.reject(new Error('fetch: Plugin Studio runs cron jobs without network access; on the platform ' +
                                    'this request would go out'));
  }

  ps.cronStart = function (source, paramsJson, handlerMethod, storeId, apiBaseUrl, timeoutMs) {
    ps.resetTimers();
    ps.takeConsole();
    const compiled = compile(source);
    if (compiled.error) return finishJob({status: 'error', error: compiled.error, compile: true});
    const extras = backendExtras('cron jobs');
    let promise;
    try {
      const handler = compiled.factory(extras[0], extras[1]);
      promise = handler(noDatabase('db'), storeId, JSON.parse(paramsJson), noNetwork, apiBaseUrl, console);
    } catch (e) { return finishJob({status: 'error', error: ps.failure(e)}); }
    job = {settled: false, outcome: null, method: handlerMethod, limit: timeoutMs};
    promise.then(v => { job.settled = true; job.outcome = jobResult(handlerMethod, v); },
                 e => { job.settled = true; job.outcome = {status: 'error', error: ps.failure(e)}; });
    return {status: 'pending'};
  };

  ps.cronPoll = function () {
    if (job.settled) return finishJob(job.outcome);
    const at = ps.nextTimerAt();
    if (at !== null && job.limit && at > job.limit) {
      return finishJob({status: 'timeout', waited_ms: at});
    }
    const fired = ps.fireNextTimer();
    if (fired) {
      if (fired.error) ps.record('error', 'Uncaught ' + fired.error.name + ': ' + fired.error.message);
      return {status: 'pending'};
    }
    return finishJob({status: 'hang'});
  };

  ps.installed = ps.installed || {};
  ps.installed[exactly] = true;
})(globalThis.__ps);
0;
