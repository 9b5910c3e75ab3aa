/*
 * Plugin Studio's own React-compatible runtime for widget previews (runs inside the JS worker).
 *
 * It implements what storefront widgets use: createElement, Fragment, function components, keys,
 * useState / useReducer / useEffect / useLayoutEffect / useMemo / useCallback / useRef /
 * useContext, a simulated `window` (event listeners, localStorage, innerWidth) and timers on a
 * virtual clock. Rendering yields a JSON element tree: host elements carry a stable `id` and their
 * event props show as {"$handler": "onClick"}, so the Qt side can send events back by node id.
 *
 * Everything is per root (one root per preview), so two previews never share listeners or time.
 */
var __studio = (function () {
  'use strict';

  var FRAGMENT = { $$studio: 'Fragment' };
  var ELEMENT = { $$studio: 'Element' };
  var MAX_RENDER_PASSES = 25;   // setState during render, per component (React's own limit)
  var MAX_FLUSHES = 50;         // effects that keep setting state ("Maximum update depth")

  // ------------------------------------------------------------------ elements

  function createElement(type, config) {
    var props = {};
    var key = null;
    var ref = null;
    if (config != null) {
      for (var name in config) {
        if (!Object.prototype.hasOwnProperty.call(config, name)) continue;
        if (name === 'key') key = config.key == null ? null : String(config.key);
        else if (name === 'ref') ref = config.ref;
        else props[name] = config[name];
      }
    }
    var count = arguments.length - 2;
    if (count === 1) props.children = arguments[2];
    else if (count > 1) props.children = Array.prototype.slice.call(arguments, 2);
    if (type && type.defaultProps) {
      for (var d in type.defaultProps) if (props[d] === undefined) props[d] = type.defaultProps[d];
    }
    return { $$typeof: ELEMENT, type: type, key: key, ref: ref, props: props };
  }

  function isElement(value) {
    return value != null && typeof value === 'object' && value.$$typeof === ELEMENT;
  }

  function createContext(defaultValue) {
    var context = { $$studio: 'Context', defaultValue: defaultValue };
    context.Provider = { $$studio: 'Provider', context: context };
    context.Consumer = function Consumer(props) { return props.children(useContext(context)); };
    return context;
  }

  // Turn whatever a component returned into a flat list of child descriptions. A nested array is
  // a fragment of its own (React keeps its keys in their own namespace).
  function childList(children) {
    if (children === undefined) return [];
    var list = Array.isArray(children) ? children : [children];
    var out = [];
    for (var i = 0; i < list.length; i++) {
      var child = list[i];
      if (child == null || typeof child === 'boolean') out.push(null);
      else if (typeof child === 'string' || typeof child === 'number' || typeof child === 'bigint') {
        out.push({ text: String(child) });
      } else if (Array.isArray(child)) {
        out.push({ $$typeof: ELEMENT, type: FRAGMENT, key: null, ref: null, props: { children: child } });
      } else if (isElement(child)) out.push(child);
      else throw new Error('Objects are not valid as a React child (found: object with keys {' +
                           Object.keys(child).join(', ') + '}). Render a string or an element instead.');
    }
    return out;
  }

  function describeType(type) {
    if (typeof type === 'string') return type;
    if (type === FRAGMENT) return 'Fragment';
    if (typeof type === 'function') return type.name || 'Anonymous';
    return String(type);
  }

  // ------------------------------------------------------------------ hooks

  var rendering = null;  // { inst, index } while a component function runs

  function nextHook(kind, create) {
    if (!rendering) throw new Error('Invalid hook call: ' + kind + ' can only be called inside the body of a function component.');
    var inst = rendering.inst;
    var i = rendering.index++;
    var hook = inst.hooks[i];
    if (hook === undefined) {
      if (inst.mounted) throw new ShapeChanged(describeType(inst.type) + ' called more hooks than before');
      hook = create();
      hook.kind = kind;
      inst.hooks[i] = hook;
    } else if (hook.kind !== kind) {
      throw new ShapeChanged(describeType(inst.type) + ': hook ' + (i + 1) + ' was ' + hook.kind + ', now ' + kind);
    }
    return hook;
  }

  function ShapeChanged(message) { this.message = message; }

  function depsChanged(prev, next) {
    if (prev === undefined || next === undefined || prev === null || next === null) return true;
    if (prev.length !== next.length) return true;
    for (var i = 0; i < prev.length; i++) if (!Object.is(prev[i], next[i])) return true;
    return false;
  }

  function useReducer(reducer, initialArg, init) {
    var inst = rendering && rendering.inst;
    var hook = nextHook('state', function () {
      var h = { value: init ? init(initialArg) : initialArg };
      h.dispatch = function (action) { setHookState(inst, h, action); };
      return h;
    });
    hook.reducer = reducer;
    return [hook.value, hook.dispatch];
  }

  function basicReducer(state, action) { return typeof action === 'function' ? action(state) : action; }

  function useState(initial) {
    return useReducer(basicReducer, initial, typeof initial === 'function' ? function (f) { return f(); } : undefined);
  }

  function setHookState(inst, hook, action) {
    if (inst.unmounted) {
      inst.root.log.push({ kind: 'warning', message: 'setState on unmounted ' + describeType(inst.type) + ' ignored' });
      return;
    }
    var next = hook.reducer(hook.value, action);
    if (Object.is(next, hook.value)) return;
    hook.value = next;
    if (rendering && rendering.inst === inst) inst.renderAgain = true;
    else markDirty(inst);
  }

  function useEffect(effect, deps) {
    var inst = rendering.inst;
    var hook = nextHook('effect', function () { return { deps: undefined, cleanup: null, fresh: true }; });
    if (hook.fresh || inst.root.forceEffects || depsChanged(hook.deps, deps)) {
      inst.pendingEffects.push({ hook: hook, effect: effect, deps: deps });
    }
    hook.fresh = false;
  }

  function useMemo(compute, deps) {
    var hook = nextHook('memo', function () { return { deps: undefined, value: undefined, fresh: true }; });
    if (hook.fresh || depsChanged(hook.deps, deps)) {
      hook.value = compute();
      hook.deps = deps;
      hook.fresh = false;
    }
    return hook.value;
  }

  function useCallback(callback, deps) { return useMemo(function () { return callback; }, deps); }

  function useRef(initial) {
    return nextHook('ref', function () { return { ref: { current: initial } }; }).ref;
  }

  function useContext(context) {
    nextHook('context', function () { return {}; });
    for (var inst = rendering.inst.parent; inst; inst = inst.parent) {
      if (inst.kind === 'provider' && inst.context === context) return inst.value;
    }
    return context.defaultValue;
  }

  var idCounter = 0;
  function useId() {
    return nextHook('id', function () { return { id: ':s' + (++idCounter) + ':' }; }).id;
  }

  // ------------------------------------------------------------------ instances

  function kindOf(element) {
    if (element.text !== undefined) return 'text';
    var type = element.type;
    if (typeof type === 'string') return 'host';
    if (type === FRAGMENT) return 'fragment';
    if (type && type.$$studio === 'Provider') return 'provider';
    if (typeof type === 'function') {
      if (type.prototype && type.prototype.isReactComponent) {
        throw new Error('Class components are not supported in the preview: write ' + describeType(type) + ' as a function component.');
      }
      return 'component';
    }
    throw new Error('Element type is invalid: expected a string (for built-in elements) or a function ' +
                    '(for components) but got: ' + (type === null ? 'null' : typeof type) +
                    '. Check the component you import or reference.');
  }

  function sameType(inst, element, root) {
    var kind = kindOf(element);
    if (inst.kind !== kind) return false;
    if (kind === 'text' || kind === 'fragment') return true;
    if (inst.type === element.type) return true;
    // After a code edit the component functions are new objects; the same name is the same component.
    return kind === 'component' && root.hotSwap && !!inst.type.name && inst.type.name === element.type.name;
  }

  function mount(element, parent, root) {
    var kind = kindOf(element);
    var inst = { kind: kind, parent: parent, root: root, key: element.key == null ? null : element.key, children: [] };
    if (kind === 'text') { inst.text = element.text; return inst; }
    inst.type = element.type;
    inst.props = element.props;
    if (kind === 'host') {
      inst.id = ++root.nextNodeId;
      root.hosts[inst.id] = inst;
      inst.ref = element.ref;
      inst.children = reconcile(inst, [], childList(element.props.children), root);
      attachRef(inst);
    } else if (kind === 'component') {
      inst.hooks = [];
      inst.pendingEffects = [];
      renderComponent(inst);
    } else {
      if (kind === 'provider') { inst.context = element.type.context; inst.value = element.props.value; }
      inst.children = reconcile(inst, [], childList(element.props.children), root);
    }
    return inst;
  }

  function update(inst, element, root) {
    if (inst.kind === 'text') { inst.text = element.text; return; }
    inst.props = element.props;
    if (inst.kind === 'component') {
      inst.type = element.type;
      renderComponent(inst);
      return;
    }
    if (inst.kind === 'provider') inst.value = element.props.value;
    if (inst.kind === 'host' && inst.ref !== element.ref) { detachRef(inst); inst.ref = element.ref; attachRef(inst); }
    inst.children = reconcile(inst, inst.children, childList(element.props.children), root);
  }

  function renderComponent(inst) {
    var root = inst.root;
    var output;
    var passes = 0;
    do {
      if (++passes > MAX_RENDER_PASSES) {
        throw new Error('Too many re-renders: ' + describeType(inst.type) + ' calls setState while rendering. React limits the number of renders to prevent an infinite loop.');
      }
      inst.renderAgain = false;
      inst.pendingEffects = [];
      var outer = rendering;
      rendering = { inst: inst, index: 0 };
      try {
        output = inst.type(inst.props);
        if (inst.mounted && rendering.index !== inst.hooks.length) {
          throw new ShapeChanged(describeType(inst.type) + ' called fewer hooks than before');
        }
      } finally {
        rendering = outer;
      }
    } while (inst.renderAgain);
    inst.mounted = true;
    inst.dirty = false;
    root.renderCount++;
    inst.children = reconcile(inst, inst.children, childList(output), root);
    // Queued after the children's: effects run child first, like React.
    for (var i = 0; i < inst.pendingEffects.length; i++) root.effectQueue.push(inst.pendingEffects[i]);
    inst.pendingEffects = [];
  }

  function reconcile(parent, oldChildren, elements, root) {
    var byKey = {};
    for (var i = 0; i < oldChildren.length; i++) {
      var old = oldChildren[i];
      if (old) byKey[old.slot] = old;
    }
    var next = [];
    var seenKeys = {};
    for (var j = 0; j < elements.length; j++) {
      var element = elements[j];
      if (element === null) continue;
      var slot = element.key != null ? 'k:' + element.key : 'i:' + j;
      if (element.key != null) {
        if (seenKeys[slot]) root.log.push({ kind: 'warning', message: 'Two children with the same key "' + element.key + '" in ' + describeType(parent.type) });
        seenKeys[slot] = true;
      }
      var match = byKey[slot];
      var inst;
      if (match && sameType(match, element, root)) {
        delete byKey[slot];
        update(match, element, root);
        inst = match;
      } else {
        inst = mount(element, parent, root);
      }
      inst.slot = slot;
      next.push(inst);
    }
    for (var rest in byKey) unmount(byKey[rest]);
    return next;
  }

  function unmount(inst) {
    inst.unmounted = true;
    if (inst.kind === 'component') {
      for (var i = 0; i < inst.hooks.length; i++) {
        var hook = inst.hooks[i];
        if (hook.kind === 'effect' && typeof hook.cleanup === 'function') {
          var cleanup = hook.cleanup;
          hook.cleanup = null;
          runGuarded(inst.root, 'effect cleanup of ' + describeType(inst.type), cleanup);
        }
      }
    }
    if (inst.kind === 'host') { detachRef(inst); delete inst.root.hosts[inst.id]; }
    for (var j = 0; j < inst.children.length; j++) unmount(inst.children[j]);
  }

  function nodeHandle(inst) {
    return { id: inst.id, tagName: inst.type.toUpperCase(), focus: function () {}, blur: function () {},
             scrollIntoView: function () {}, get value() { return inst.props.value; } };
  }

  function attachRef(inst) {
    if (!inst.ref) return;
    if (typeof inst.ref === 'function') inst.ref(nodeHandle(inst));
    else inst.ref.current = nodeHandle(inst);
  }

  function detachRef(inst) {
    if (!inst.ref) return;
    if (typeof inst.ref === 'function') inst.ref(null);
    else inst.ref.current = null;
  }

  // ------------------------------------------------------------------ roots, flushing, effects

  var roots = {};
  var factories = {};

  function runGuarded(root, what, fn, args) {
    try {
      return fn.apply(null, args || []);
    } catch (e) {
      if (e instanceof ShapeChanged) throw e;
      root.errors.push(errorInfo(e, what));
      return undefined;
    }
  }

  function errorInfo(e, phase) {
    var info = { phase: phase, message: String(e && e.message !== undefined ? e.message : e),
                 name: (e && e.name) || 'Error', stack: String((e && e.stack) || ''), line: null, column: null };
    var m = /<input>:(\d+):(\d+)/.exec(info.stack);
    if (m) { info.line = +m[1]; info.column = +m[2]; }
    return info;
  }

  function markDirty(inst) {
    if (inst.dirty) return;
    inst.dirty = true;
    inst.root.dirty.push(inst);
  }

  function depth(inst) { var d = 0; for (var p = inst.parent; p; p = p.parent) d++; return d; }

  function runEffects(root) {
    var queue = root.effectQueue;
    root.effectQueue = [];
    for (var i = 0; i < queue.length; i++) {
      var hook = queue[i].hook;
      if (typeof hook.cleanup === 'function') {
        var cleanup = hook.cleanup;
        hook.cleanup = null;
        runGuarded(root, 'effect cleanup', cleanup);
      }
    }
    for (var j = 0; j < queue.length; j++) {
      var item = queue[j];
      item.hook.deps = item.deps;
      var result = runGuarded(root, 'effect', item.effect);
      if (typeof result === 'function') item.hook.cleanup = result;
      else if (result !== undefined && !(result && typeof result.then === 'function')) {
        root.log.push({ kind: 'warning', message: 'An effect returned something other than a cleanup function; it was ignored.' });
      }
    }
    root.forceEffects = false;
  }

  // Render every component whose state changed (outermost first), run effects, repeat until quiet.
  function flush(root) {
    for (var round = 0; root.dirty.length || root.effectQueue.length; round++) {
      if (round > MAX_FLUSHES) {
        root.dirty = [];
        root.effectQueue = [];
        throw new Error('Maximum update depth exceeded: an effect sets state on every render.');
      }
      var dirty = root.dirty;
      root.dirty = [];
      dirty.sort(function (a, b) { return depth(a) - depth(b); });
      for (var i = 0; i < dirty.length; i++) if (dirty[i].dirty && !dirty[i].unmounted) renderComponent(dirty[i]);
      runEffects(root);
    }
  }

  function makeStorage() {
    var items = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(items, k) ? items[k] : null; },
      setItem: function (k, v) { items[k] = String(v); },
      removeItem: function (k) { delete items[k]; },
      clear: function () { items = {}; },
      key: function (i) { return Object.keys(items)[i] || null; },
      get length() { return Object.keys(items).length; },
    };
  }

  function StudioEvent(type, init) {
    this.type = String(type);
    this.detail = init && init.detail !== undefined ? init.detail : null;
    this.bubbles = !!(init && init.bubbles);
    this.defaultPrevented = false;
    this.timeStamp = 0;
  }
  StudioEvent.prototype.preventDefault = function () { this.defaultPrevented = true; };
  StudioEvent.prototype.stopPropagation = function () {};
  StudioEvent.prototype.stopImmediatePropagation = function () { this.stopped = true; };

  function makeWindow(root) {
    var listeners = {};
    var win = {
      innerWidth: root.viewport, innerHeight: 800,
      location: { href: 'https://shop.example/cart', pathname: '/cart', search: '', hash: '' },
      navigator: { userAgent: 'PluginStudio-Preview', language: 'en-US' },
      localStorage: makeStorage(), sessionStorage: makeStorage(),
      addEventListener: function (type, fn, options) {
        if (typeof fn !== 'function' && !(fn && typeof fn.handleEvent === 'function')) return;
        var list = listeners[type] || (listeners[type] = []);
        for (var i = 0; i < list.length; i++) if (list[i].fn === fn) return;  // DOM ignores duplicates
        list.push({ fn: fn, once: !!(options && options.once) });
      },
      removeEventListener: function (type, fn) {
        var list = listeners[type];
        if (!list) return;
        listeners[type] = list.filter(function (l) { return l.fn !== fn; });
      },
      dispatchEvent: function (event) {
        var list = (listeners[event.type] || []).slice();
        for (var i = 0; i < list.length; i++) {
          var l = list[i];
          if (l.once) win.removeEventListener(event.type, l.fn);
          root.log.push({ kind: 'window-listener', event: event.type, at: root.now,
                          listener: describeType(l.fn) });
          runGuarded(root, 'window "' + event.type + '" listener', function () {
            return typeof l.fn === 'function' ? l.fn.call(win, event) : l.fn.handleEvent(event);
          });
          if (event.stopped) break;
        }
        return !event.defaultPrevented;
      },
    };
    win.window = win;
    win.self = win;
    root.listeners = listeners;
    return win;
  }

  function listenerCount(root) {
    var n = 0;
    for (var t in root.listeners) n += root.listeners[t].length;
    return n;
  }

  // ------------------------------------------------------------------ virtual time

  function makeTimers(root) {
    function add(fn, delay, args, repeat) {
      if (typeof fn !== 'function') throw new TypeError('setTimeout/setInterval needs a function (string code is not allowed)');
      var ms = Math.max(0, Number(delay) || 0);
      var timer = { id: ++root.nextTimerId, at: root.now + ms, fn: fn, args: args,
                    every: repeat ? Math.max(1, ms) : 0 };
      root.timers[timer.id] = timer;
      return timer.id;
    }
    function clear(id) { delete root.timers[id]; }
    return {
      setTimeout: function (fn, delay) { return add(fn, delay, Array.prototype.slice.call(arguments, 2), false); },
      setInterval: function (fn, delay) { return add(fn, delay, Array.prototype.slice.call(arguments, 2), true); },
      clearTimeout: clear,
      clearInterval: clear,
      requestAnimationFrame: function (fn) { return add(function () { fn(root.now); }, 16, [], false); },
      cancelAnimationFrame: clear,
    };
  }

  function nextTimer(root) {
    var best = null;
    for (var id in root.timers) {
      var t = root.timers[id];
      if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    }
    return best;
  }

  function advance(root, ms) {
    var target = root.now + Math.max(0, ms);
    for (var guard = 0; guard < 100000; guard++) {
      var t = nextTimer(root);
      if (!t || t.at > target) break;
      root.now = t.at;
      if (t.every) t.at += t.every;
      else delete root.timers[t.id];
      root.log.push({ kind: 'timer', at: root.now, timer: t.id, repeat: !!t.every });
      runGuarded(root, 'timer callback', t.fn, t.args);
      flush(root);
    }
    root.now = target;
  }

  // ------------------------------------------------------------------ console

  function makeConsole(root) {
    function writer(level) {
      return function () {
        var parts = [];
        for (var i = 0; i < arguments.length; i++) parts.push(formatValue(arguments[i]));
        root.log.push({ kind: 'console', level: level, at: root.now, message: parts.join(' ') });
      };
    }
    return { log: writer('log'), info: writer('info'), warn: writer('warn'), error: writer('error'), debug: writer('debug') };
  }

  function formatValue(v) {
    if (typeof v === 'string') return v;
    if (typeof v === 'function') return '[Function ' + (v.name || 'anonymous') + ']';
    if (v instanceof Error) return v.name + ': ' + v.message;
    try { return JSON.stringify(v); } catch (e) { return String(v); }
  }

  // ------------------------------------------------------------------ the element tree as JSON

  function plain(value, depthLeft) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return isFinite(value) ? value : String(value);
    if (typeof value === 'function' || value === undefined || typeof value === 'symbol') return undefined;
    if (depthLeft <= 0) return '[…]';
    if (isElement(value)) return '[element ' + describeType(value.type) + ']';
    if (Array.isArray(value)) return value.map(function (v) { var p = plain(v, depthLeft - 1); return p === undefined ? null : p; });
    var out = {};
    for (var k in value) {
      var p = plain(value[k], depthLeft - 1);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }

  function hostProps(inst) {
    var out = {};
    for (var name in inst.props) {
      if (name === 'children') continue;
      var value = inst.props[name];
      if (typeof value === 'function') {
        if (/^on[A-Z]/.test(name)) out[name] = { $handler: name };
        continue;
      }
      var p = plain(value, 6);
      if (p !== undefined) out[name] = p;
    }
    return out;
  }

  function serialize(instances, out) {
    for (var i = 0; i < instances.length; i++) {
      var inst = instances[i];
      if (inst.kind === 'text') {
        if (out.length && typeof out[out.length - 1] === 'string') out[out.length - 1] += inst.text;
        else out.push(inst.text);
      } else if (inst.kind === 'host') {
        out.push({ id: inst.id, type: inst.type, props: hostProps(inst), children: serialize(inst.children, []) });
      } else {
        serialize(inst.children, out);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ DOM-like events from the preview

  var EVENT_PROPS = {
    click: ['onClick'], dblclick: ['onDoubleClick'], change: ['onChange', 'onInput'], input: ['onInput'],
    submit: ['onSubmit'], focus: ['onFocus'], blur: ['onBlur'], keydown: ['onKeyDown'], keyup: ['onKeyUp'],
    mouseenter: ['onMouseEnter'], mouseleave: ['onMouseLeave'],
  };
  var NO_BUBBLE = { mouseenter: true, mouseleave: true, focus: false };

  function syntheticEvent(type, target, data) {
    var event = {
      type: type, target: target, currentTarget: target, defaultPrevented: false, propagationStopped: false,
      nativeEvent: { type: type }, timeStamp: 0, key: data.key, bubbles: !NO_BUBBLE[type],
      preventDefault: function () { event.defaultPrevented = true; },
      stopPropagation: function () { event.propagationStopped = true; },
      isDefaultPrevented: function () { return event.defaultPrevented; },
      isPropagationStopped: function () { return event.propagationStopped; },
      persist: function () {},
    };
    return event;
  }

  function targetOf(inst, data) {
    var props = inst.props;
    var target = { tagName: inst.type.toUpperCase(), id: props.id, name: props.name, type: props.type,
                   value: data.value !== undefined ? data.value : props.value,
                   checked: data.checked !== undefined ? data.checked : props.checked,
                   dataset: {} };
    if (inst.type === 'form') target.elements = formElements(inst);
    return target;
  }

  function formElements(form) {
    var out = {};
    (function walk(list) {
      for (var i = 0; i < list.length; i++) {
        var c = list[i];
        if (c.kind === 'host' && c.props.name) out[c.props.name] = { value: c.props.value, checked: c.props.checked };
        walk(c.children);
      }
    })(form.children);
    return out;
  }

  function hostAncestors(inst) {
    var chain = [];
    for (var p = inst; p; p = p.parent) if (p.kind === 'host') chain.push(p);
    return chain;
  }

  function dispatchDom(root, nodeId, type, data) {
    var inst = root.hosts[nodeId];
    if (!inst) {
      root.log.push({ kind: 'warning', message: 'event "' + type + '" for element #' + nodeId + ' that is no longer rendered' });
      return;
    }
    var names = EVENT_PROPS[type] || ['on' + type.charAt(0).toUpperCase() + type.slice(1)];
    var event = syntheticEvent(type, targetOf(inst, data), data);
    var chain = event.bubbles ? hostAncestors(inst) : [inst];
    var called = 0;
    for (var i = 0; i < chain.length && !event.propagationStopped; i++) {
      var host = chain[i];
      event.currentTarget = host === inst ? event.target : targetOf(host, {});
      for (var n = 0; n < names.length; n++) {
        var handler = host.props[names[n]];
        if (typeof handler !== 'function') continue;
        called++;
        root.log.push({ kind: 'handler', handler: names[n], element: host.type, node: host.id, event: type,
                        at: root.now, value: data.value, checked: data.checked });
        runGuarded(root, names[n] + ' handler on <' + host.type + '>', handler, [event]);
      }
    }
    if (!called) root.log.push({ kind: 'event', event: type, node: nodeId, element: inst.type, message: 'no handler' });
  }

  // ------------------------------------------------------------------ the public API (called by ops_widgets)

  function define(hash, source) {
    if (factories[hash]) return { ok: true, cached: true };
    try {
      var factory = (0, eval)(source);
      if (typeof factory !== 'function') throw new Error('compiled widget did not produce a factory');
      factories[hash] = factory;
      return { ok: true, cached: false };
    } catch (e) {
      return { ok: false, error: errorInfo(e, 'compile') };
    }
  }

  // Evaluating the wrapper only creates a function, so this runs none of the widget's code.
  function checkSyntax(source) {
    try { (0, eval)(source); return null; } catch (e) { return errorInfo(e, 'compile'); }
  }

  function forget(hash) { delete factories[hash]; }

  function newRoot(rootId, viewport) {
    var root = { id: rootId, viewport: viewport || 1280, now: 0, nextTimerId: 0, nextNodeId: 0, timers: {},
                 hosts: {}, dirty: [], effectQueue: [], log: [], errors: [], children: [], renderCount: 0,
                 hotSwap: false, forceEffects: false, component: null, hash: null };
    root.window = makeWindow(root);
    root.timerApi = makeTimers(root);
    root.console = makeConsole(root);
    roots[rootId] = root;
    return root;
  }

  // Run the module code of a widget against this root's window, timers and console.
  function instantiate(root, hash) {
    var factory = factories[hash];
    if (!factory) throw new Error('widget code ' + hash + ' is not defined in this worker');
    var t = root.timerApi;
    var component = factory(React, root.window, t.setTimeout, t.clearTimeout, t.setInterval, t.clearInterval,
                            t.requestAnimationFrame, t.cancelAnimationFrame, root.console,
                            root.window.localStorage, root.window.sessionStorage, StudioEvent, StudioEvent);
    if (typeof component !== 'function') {
      throw new Error('The widget code must evaluate to a component function, got ' +
                      (component === null ? 'null' : typeof component) + '.');
    }
    return component;
  }

  function renderRoot(root, component, props) {
    root.component = component;
    root.props = props;
    root.children = reconcile(root, root.children, [createElement(component, props)], root);
    flush(root);
  }

  function unmountAll(root) {
    for (var i = 0; i < root.children.length; i++) unmount(root.children[i]);
    root.children = [];
    root.dirty = [];
    root.effectQueue = [];
  }

  // Render `hash` into the root; after a code edit keep the state when every hook lines up.
  function render(rootId, hash, props, viewport) {
    var root = roots[rootId] || newRoot(rootId, viewport);
    var result = { state_kept: false, state_reset_reason: null };
    var swapping = root.children.length > 0 && root.hash !== hash;
    return withResult(root, result, function () {
      var component = instantiate(root, hash);
      root.hash = hash;
      root.hotSwap = swapping;
      root.forceEffects = swapping;
      try {
        renderRoot(root, component, props);
        result.state_kept = swapping;
      } catch (e) {
        if (!(e instanceof ShapeChanged)) throw e;
        result.state_reset_reason = e.message;
        root.log.push({ kind: 'warning', message: 'state reset: ' + e.message });
        unmountAll(root);
        root.hotSwap = false;
        renderRoot(root, component, props);
      } finally {
        root.hotSwap = false;
        root.forceEffects = false;
      }
      advance(root, 0);
    });
  }

  function withResult(root, result, action) {
    try {
      action();
    } catch (e) {
      root.dirty = [];
      root.effectQueue = [];
      root.errors.push(errorInfo(e, 'render'));
    }
    return snapshot(root, result);
  }

  function snapshot(root, extra) {
    var next = nextTimer(root);
    var result = {
      tree: serialize(root.children, []), log: root.log, errors: root.errors, now: root.now,
      next_timer_in: next ? Math.max(0, next.at - root.now) : null, listeners: listenerCount(root),
      renders: root.renderCount,
    };
    root.log = [];
    root.errors = [];
    for (var k in extra || {}) result[k] = extra[k];
    return result;
  }

  function onRoot(rootId, action) {
    var root = roots[rootId];
    if (!root) {
      return { tree: [], log: [], now: 0, next_timer_in: null, listeners: 0, renders: 0, missing_root: true,
               errors: [{ phase: 'root', name: 'Error', message: 'no widget preview "' + rootId + '" in this worker (it may have restarted)',
                          line: null, column: null, stack: '' }] };
    }
    return withResult(root, {}, function () { action(root); flush(root); advance(root, 0); });
  }

  var api = {
    define: define,
    forget: forget,
    checkSyntax: checkSyntax,
    render: render,
    hasRoot: function (rootId) { return !!roots[rootId]; },
    event: function (rootId, nodeId, type, data) {
      return onRoot(rootId, function (root) { dispatchDom(root, nodeId, type, data || {}); });
    },
    dispatchWindow: function (rootId, name, detail) {
      return onRoot(rootId, function (root) {
        root.log.push({ kind: 'window-event', event: name, at: root.now, detail: plain(detail, 6),
                        listeners: (root.listeners[name] || []).length });
        root.window.dispatchEvent(new StudioEvent(name, { detail: detail }));
      });
    },
    advance: function (rootId, ms) {
      return onRoot(rootId, function (root) { advance(root, ms); });
    },
    setViewport: function (rootId, width) {
      return onRoot(rootId, function (root) {
        root.viewport = root.window.innerWidth = width;
        root.window.dispatchEvent(new StudioEvent('resize'));
      });
    },
    snapshot: function (rootId) { return onRoot(rootId, function () {}); },
    unmount: function (rootId) {
      var root = roots[rootId];
      if (!root) return { tree: [], log: [], errors: [], listeners: 0, now: 0, next_timer_in: null };
      var result = withResult(root, {}, function () { unmountAll(root); });
      result.timers_left = Object.keys(root.timers).length;
      if (result.listeners) {
        result.log.push({ kind: 'warning', message: result.listeners + ' window listener(s) were still registered after unmount (missing cleanup?)' });
      }
      delete roots[rootId];
      return result;
    },
  };

  var React = {
    createElement: createElement, Fragment: FRAGMENT, createContext: createContext,
    useState: useState, useReducer: useReducer, useEffect: useEffect, useLayoutEffect: useEffect,
    useMemo: useMemo, useCallback: useCallback, useRef: useRef, useContext: useContext, useId: useId,
    memo: function (component) { return component; },
    forwardRef: function (render) { return function ForwardRef(props) { return render(props, props.ref || null); }; },
    isValidElement: isElement,
    Children: {
      toArray: function (c) { return childList(c).filter(function (x) { return x !== null; }).map(function (x) { return x.text !== undefined ? x.text : x; }); },
      count: function (c) { return childList(c).filter(function (x) { return x !== null; }).length; },
      map: function (c, fn) { return api.__toArray(c).map(fn); },
    },
    version: '18.0.0-studio',
  };
  api.__toArray = React.Children.toArray;
  api.React = React;
  return api;
})();
var React = __studio.React;
