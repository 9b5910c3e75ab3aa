/*
 * React itself in one plugin's preview interpreter: react, react-reconciler (with preview_host.js
 * as its host config), scheduler and react-refresh, loaded from the pinned npm packages.
 *
 * Every open preview of the plugin is a root here, rendered as the storefront renders a widget
 * slot (widget_shell.js). The runner reaches this interpreter through one global function that
 * needs a token only the runner knows, so widget code can neither call it nor read its arguments.
 * React's own scheduling (microtasks, scheduler tasks, timeouts) goes to private queues on the
 * virtual clock: after each call the runner settles them, commit by commit, until nothing is left.
 *
 * Boot: `__studioBoot` = {token, packages: {name: factory(module, exports, require, ...host)},
 * parts: {shell, tree, host, events}} and `__studioEnv` (preview_env.js) are taken and deleted.
 */
(function (g) {
  'use strict';
  var boot = g.__studioBoot;
  var env = g.__studioEnv;
  delete g.__studioBoot;
  delete g.__studioEnv;
  var dispatchWindow = g.dispatchEvent;
  var WindowEvent = g.CustomEvent;
  var MAX_SETTLE_STEPS = 500;

  // ---- the packages as CommonJS modules, each with private host globals -----------------------
  var hookHolder = {};
  var hookSetters = {};   // module name -> set(hook): what its __REACT_DEVTOOLS_GLOBAL_HOOK__ is from now on
  var microtasks = [];
  var modules = {};
  var processShim = { env: { NODE_ENV: 'development' } };

  function require(name) {
    if (modules[name]) return modules[name].exports;
    var factory = boot.packages[name];
    if (typeof factory !== 'function') throw new Error('the widget preview has no module ' + name);
    var module = modules[name] = { exports: {} };
    function devtoolsHook(set) {
      hookSetters[name] = set;
      return hookHolder.__REACT_DEVTOOLS_GLOBAL_HOOK__;
    }
    // window/document/navigator/MessageChannel are hidden: React then takes its plain code paths.
    factory.call(module.exports, module, module.exports, require, processShim, devtoolsHook,
                 undefined, env.setPrivateTimeout, env.clearTimer, undefined, undefined, undefined, undefined, undefined);
    return module.exports;
  }

  var Refresh = require('react-refresh/runtime');
  Refresh.injectIntoGlobalHook(hookHolder);   // before the reconciler loads, as Fast Refresh requires
  var React = require('react');
  // `scheduler` is the package's unstable_mock build: the same task queues and priorities, on a
  // clock that moves only with the preview's virtual clock, and flushed one commit at a time, so
  // work that never ends (an effect that sets state after every render) stops at a step count.
  var Scheduler = require('scheduler');
  var createReconciler = require('react-reconciler');
  var constants = require('react-reconciler/constants');
  var shell = boot.parts.shell(React);
  var tree = boot.parts.tree();
  var host = boot.parts.host(env, tree);
  var priority = null;
  // The reconciler is created seeing no DevTools: with them it times every fiber's work for their
  // profiler and tracks which fibers scheduled each update, for a panel the preview does not have
  // (~3 % of a 400-element re-render, A/B in one process). React Refresh's hook is shown to it just after, for
  // injectIntoDevTools, which is how Fast Refresh reaches the renderer (as in a browser).
  hookSetters['react-reconciler'](undefined);
  var reconciler = createReconciler(host.hostConfig({
    scheduleMicrotask: function (fn) { microtasks.push(fn); },
    eventPriority: function () { return priority === null ? constants.DefaultEventPriority : priority; },
  }));
  hookSetters['react-reconciler'](hookHolder.__REACT_DEVTOOLS_GLOBAL_HOOK__);
  reconciler.injectIntoDevTools({ bundleType: 1, version: React.version, rendererPackageName: 'plugin-studio-preview',
                                  findFiberByHostInstance: function () { return null; } });
  var events = boot.parts.events(env, host)(reconciler, constants, function (p) { priority = p; });
  // Fast Refresh hands React its family resolver on the first refresh; do one now, so an error
  // boundary that fails before the first edit is known to React and retried after it.
  (function () {
    function Before() { return null; }
    function After() { return null; }
    Refresh.register(Before, '\u0000boot');
    Refresh.register(After, '\u0000boot');
    Refresh.performReactRefresh();
  })();

  // ---- settling React's work ------------------------------------------------------------------
  // Runs React's queued work and the timers due now. {ran, exhausted}: exhausted when the work did
  // not run out within MAX_SETTLE_STEPS (an effect that sets state on every render never does).
  function settle() {
    var ran = false;
    for (var step = 0; step < MAX_SETTLE_STEPS; step++) {
      if (microtasks.length) {
        var batch = microtasks;
        microtasks = [];
        batch.forEach(guarded);
      } else if (Scheduler.unstable_getFirstCallbackNode() !== null) {
        var behind = env.now - Scheduler.unstable_now();
        if (behind > 0) Scheduler.unstable_advanceTime(behind);
        guarded(Scheduler.unstable_flushUntilNextPaint);
      } else {
        var due = env.nextDue(env.now);
        if (!due) return { ran: ran, exhausted: false };
        env.fire(due);
      }
      ran = true;
    }
    env.reportError('render loop', new Error('React was still rendering after ' + MAX_SETTLE_STEPS + ' rounds: a state ' +
      'update in an effect that runs after every render, or a timer that schedules itself at once? ' +
      'The preview stopped there; the browser would keep the page busy.'));
    return { ran: ran, exhausted: true };
  }

  // An error no error boundary caught (React rethrows it from its work loop): a browser reports it.
  function guarded(fn) {
    try { fn(); } catch (e) { env.reportError('uncaught', e); }
  }

  // ---- roots ----------------------------------------------------------------------------------
  var roots = {};

  function createRoot(id, viewport) {
    var root = { id: id, component: null, hash: null, signature: null, props: null, commits: 0, focused: null, events: events,
                 viewport: viewport || 1280, log: [], errors: [] };
    root.container = { root: root, __children: [] };
    root.fiberRoot = reconciler.createContainer(root.container, constants.ConcurrentRoot, null, false, null, '',
      function onRecoverableError(error) { env.reportError('recoverable', error); }, null);
    roots[id] = root;
    return root;
  }

  // What the storefront shows when its compile gives `value` and it is no component: its "Widget
  // not found" for nothing; for a string, what react-dom's document.createElement(value) does
  // inside the widget's error boundary; for any other value React's invariant, thrown while the
  // boundary itself renders, so above it (React 18), where the storefront has no boundary.
  function storefrontShows(value) {
    if (!value) return shell.notFound;
    if (typeof value === 'string') {
      var invalid = host.invalidElementName(value);
      return invalid ? 'Widget crashed: ' + invalid.message
        : 'an empty <' + value + '> element (React renders the string as an HTML tag name)';
    }
    return "a blank page: React throws 'Element type is invalid: expected a string (for built-in components) or a " +
      "class/function (for composite components) but got: " + typeof value + ".' while the widget's error boundary " +
      'renders, so the boundary cannot catch it, nothing above it does, and React 18 unmounts the whole app';
  }

  function describe(value) {
    if (typeof value === 'string') return JSON.stringify(value) + ' (a string)';
    if (value === null || value === undefined) return String(value);
    if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object that is not a component';
    return env.show(value) + ' (a ' + typeof value + ')';
  }

  // A candidate's compile (no widget code runs) and its run, which evaluates the code:
  // {value} or {error, thrown}. A module candidate's value is its choices, best first (ops:
  // widget_compile.module_candidate): the default export, module.exports, top-level declarations.
  function run(candidate) {
    var make;
    try {
      make = new Function('React', candidate.mode === 'storefront' ? shell.storefrontBody(candidate.source) : candidate.source);
      return { value: make(React) };
    } catch (e) {
      return { error: errorInfo(e, make ? 'load' : 'compile'), thrown: e };
    }
  }

  // The candidate's component, or a 'shape' failure saying what it gave instead.
  function componentOf(candidate, value) {
    var component = shell.pickComponent(candidate.mode, value);
    if (component !== null) return { component: component };
    var message = candidate.mode === 'module'
      ? 'the code defines no component: ' + (value[0] === undefined ? 'it has no default export'
        : 'its default export is ' + describe(value[0])) + ' and none of its top-level declarations is one'
      : "the storefront's compile gives " + describe(value) + ', not a component';
    return { failure: { phase: 'shape', name: 'TypeError', message: message + ' (a widget is a function or class ' +
                        'component, or React.memo/forwardRef/lazy of one)', stack: '', componentStack: '' } };
  }

  // Each candidate in order, the storefront's own compile of the stored code first; the first that
  // yields a component wins. Returns {component, index, storefront, failures: [{index, error}]},
  // where `storefront` is what the storefront shows instead of the widget (null: the widget itself).
  function instantiate(candidates) {
    var storefront = null, failures = [];
    for (var i = 0; i < candidates.length; i++) {
      var tried = run(candidates[i]);
      var found = tried.error ? null : componentOf(candidates[i], tried.value);
      if (found && found.component) return { component: found.component, index: i, storefront: storefront, failures: failures };
      failures.push({ index: i, error: tried.error || found.failure });
      if (i === 0) storefront = tried.error ? shell.failedToLoad(tried.thrown && tried.thrown.message) : storefrontShows(tried.value);
    }
    return { component: null, storefront: storefront, failures: failures };
  }

  function shellElement(root, config, slotData) {
    return React.createElement(shell.Shell, { widget: root.component, config: config, slotData: slotData,
      onCrash: function (error, info) {
        root.errors.push(errorInfo(error, 'render', info && info.componentStack));
      } });
  }

  function errorInfo(e, phase, componentStack) {
    var isError = e !== null && typeof e === 'object' && 'message' in e;
    return { phase: phase, name: isError && e.name ? String(e.name) : 'Error',
             message: isError ? String(e.message) : 'a non-Error value was thrown: ' + env.show(e),
             stack: isError && e.stack ? String(e.stack) : '', componentStack: componentStack || '' };
  }

  function refresh(root, args) {
    var found = instantiate(args.candidates);
    if (!found.component) return { failed: true, failures: found.failures, storefront: found.storefront };
    var note = null;
    Refresh.register(found.component, 'widget\u0000' + root.id);
    if (args.signature !== null) Refresh.setSignature(found.component, args.signature, false);
    if (root.component) {
      var update = Refresh.performReactRefresh();
      var stale = update && update.staleFamilies;
      if (stale && (stale.size || stale.length)) note = { from: root.signature, to: args.signature };
    }
    root.component = found.component;
    root.hash = args.hash;
    root.signature = args.signature;
    return { index: found.index, storefront: found.storefront, failures: found.failures, remounted: note };
  }

  // ---- operations -----------------------------------------------------------------------------
  function render(args) {
    var root = roots[args.root] || createRoot(args.root, args.viewport);
    var out = {};
    var props = JSON.stringify([args.config, args.slotData]);
    onRoot(root, function () {
      root.viewport = args.viewport || root.viewport;
      var shown = root.component !== null;
      if (root.hash !== args.hash) out = refresh(root, args);
      // Fast Refresh has just rendered the new code; with the same props one render is enough.
      if (!out.failed && !(shown && out.index !== undefined && props === root.props)) {
        reconciler.updateContainer(shellElement(root, args.config, args.slotData), root.fiberRoot, null, null);
      }
      if (!out.failed) root.props = props;
    });
    return answer(root, out);
  }

  // The answer to a call: React's work is done now, the promise jobs it started run when this
  // call returns (the runner runs them), and the snapshot is taken after them, when the answer is
  // turned into JSON. `again`: that last settle ran work, whose own promise jobs wait for the
  // next call (the runner then asks for another snapshot).
  function answer(root, extra) {
    var stuck = settleFor({ root: root.id }).exhausted;
    return {
      toJSON: function () {
        var later = stuck ? { ran: false } : settleFor({ root: root.id });
        var result = snapshot({ root: root.id });
        result.again = later.ran && !later.exhausted;
        Object.keys(extra || {}).forEach(function (k) { result[k] = extra[k]; });
        return result;
      },
    };
  }

  function onRoot(root, action) {
    env.owner = root.id;
    g.innerWidth = root.viewport;
    try {
      action();
    } finally {
      env.owner = null;
    }
  }

  function findElement(list, id) {
    for (var i = 0; i < list.length; i++) {
      var n = list[i];
      if (!(n instanceof host.Element)) continue;
      if (n.__id === id) return n;
      var found = findElement(n.__children, id);
      if (found) return found;
    }
    return null;
  }

  function event(args) {
    var root = need(args.root);
    var el = findElement(root.container.__children, args.node);
    var data = args.data || {};
    if (!el) {
      root.log.push({ kind: 'note', message: 'event "' + args.type + '" for element #' + args.node + ' that is no longer rendered' });
      return answer(root, {});
    }
    root.log.push({ kind: 'event', event: args.type, node: el.__id, element: el.__type, value: data.value,
                    checked: data.checked, key: data.key, at: env.now });
    onRoot(root, function () {
      var t = args.type;
      if (t === 'click') events.click(root, el, true);
      else if (t === 'input') events.input(root, el, data.value);
      else if (t === 'change') events.change(root, el, data.value);
      else if (t === 'keydown' || t === 'keyup') events.key(root, el, t, data.key, true);
      else if (t === 'focus') events.focus(root, el);
      else if (t === 'blur') events.blur(root, el);
      else if (t === 'mouseenter' || t === 'mouseleave') events.hover(root, el, t === 'mouseenter');
      else if (t === 'submit') events.submit(root, el);
      else throw new Error('the preview does not send "' + t + '" events');
    });
    return answer(root, {});
  }

  function dispatch(args) {
    var root = need(args.root);
    root.log.push({ kind: 'window-event', event: args.name, detail: args.detail, listeners: env.listenerCount(args.name), at: env.now });
    onRoot(root, function () { dispatchWindow.call(g, new WindowEvent(args.name, { detail: args.detail })); });
    return answer(root, {});
  }

  function setViewport(args) {
    var root = need(args.root);
    root.viewport = args.width;
    onRoot(root, function () { dispatchWindow.call(g, new WindowEvent('resize', {})); });
    return answer(root, {});
  }

  // One timer up to `target` ms (virtual), then React's work; {more} while timers are due.
  function advanceStep(args) {
    var root = need(args.root);
    var due = env.nextDue(args.target);
    if (!due) {
      env.now = Math.max(env.now, args.target);
      return { more: false };
    }
    onRoot(root, function () { env.fire(due); });
    settleFor({ root: root.id });
    return { more: true };
  }

  function unmount(args) {
    var root = roots[args.root];
    if (!root) return { tree: [], log: [], errors: [], listeners: 0, now: env.now, next_timer_in: null, renders: 0 };
    onRoot(root, function () {
      reconciler.updateContainer(null, root.fiberRoot, null, null);
      settle();
    });
    var result = snapshot({ root: args.root });
    result.timers_left = env.timersOf(root.id);
    if (result.listeners) {
      result.log.push({ kind: 'warning', message: result.listeners + ' window listener(s) still registered after unmount (missing cleanup?)' });
    }
    delete roots[args.root];
    result.roots_left = Object.keys(roots).length;
    return result;
  }

  function need(id) {
    var root = roots[id];
    if (!root) throw new Error('no widget preview "' + id + '" in this interpreter');
    return root;
  }

  // Log entries go to the root they belong to (a timer or listener of another preview of this plugin).
  function collect(current) {
    env.takeLog().forEach(function (entry) {
      var root = roots[entry.owner] || current;
      if (!root) return;
      if (entry.kind === 'error') root.errors.push(entry); else root.log.push(entry);
    });
  }

  // React's queued work, run on behalf of the root a call was for (its log, its timers).
  function settleFor(args) {
    var root = roots[args.root] || null;
    var outcome;
    env.owner = root ? root.id : null;
    try {
      outcome = settle();
    } finally {
      env.owner = null;
    }
    collect(root);
    return outcome;
  }

  function snapshot(args) {
    var root = roots[args.root];
    if (!root) return { missing_root: true };
    collect(root);
    var result = { tree: host.serialize(root.container.__children, []), log: root.log, errors: root.errors,
                   now: env.now, next_timer_in: env.nextTimerIn(), listeners: env.listenersOf(root.id),
                   renders: root.commits };
    root.log = [];
    root.errors = [];
    return result;
  }

  // ---- HTML through react-dom/server, of the elements rendered now ----------------------------
  function mirror(list) {
    var out = [];
    list.forEach(function (n) {
      if (n.__hidden) return;
      if (!(n instanceof host.Element)) { out.push(n.__text); return; }
      var props = Object.assign({}, n.__props);
      if (n.__type !== 'textarea' && props.dangerouslySetInnerHTML == null) {
        var children = n.__text !== null ? n.__text : mirror(n.__children);
        if (children.length) props.children = children; else delete props.children;
      }
      out.push(React.createElement(n.__type, props));
    });
    return out;
  }

  function html(args, serverFactory) {
    var root = need(args.root);
    if (serverFactory) boot.packages['react-dom/server'] = serverFactory;
    if (!boot.packages['react-dom/server']) return { needs_server: true };
    var server = require('react-dom/server');
    collect(root);
    var text = server.renderToStaticMarkup(React.createElement(React.Fragment, null, mirror(root.container.__children)));
    env.takeLog();  // the server renderer's own warnings are about this mirror, not the widget
    return { html: text };
  }

  var api = { render: render, event: event, dispatch: dispatch, viewport: setViewport, advanceStep: advanceStep,
              unmount: unmount, html: html,
              snapshot: function (args) { return answer(need(args.root), {}); },
              settle: settleFor,
              clock: function () { return { now: env.now }; },
              roots: function () { return { roots: Object.keys(roots) }; } };
  var token = boot.token;
  var parse = JSON.parse;  // taken now: widget code may replace the global JSON's
  function entry(given, op, args, extra) {
    if (given !== token || !Object.prototype.hasOwnProperty.call(api, op)) throw new Error('not available to widget code');
    return api[op](args || {}, extra);
  }
  // The runner's call (runner/quickjs.py Caller.call_after_jobs): [token, args] as JSON text in,
  // the answer out, turned into JSON by QuickJS after the call's promise jobs ran.
  entry.dispatch = function (op, json) {
    var given = parse(json);
    return entry(given[0], op, given[1]);
  };
  Object.defineProperty(g, '__studioPreview', {
    value: Object.freeze(entry), writable: false, configurable: false, enumerable: false,
  });
})(globalThis);
