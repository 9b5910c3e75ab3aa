/*
 * The browser a widget preview runs in, until the runner's shared browser environment replaces it:
 * `window` (the global object, an EventTarget), storage, location, navigator, a small `document`,
 * dialogs that are recorded, a `fetch` that rejects, a console that is recorded, and timers on a
 * virtual clock that only moves when the preview advances it.
 *
 * The preview runtime takes `__studioEnv` (the clock, the log, the timers) and deletes the global.
 */
(function (g) {
  'use strict';
  var env = { now: 0, owner: null, log: [], timers: [], seq: 0 };

  // ---- console and errors -------------------------------------------------------------------
  function show(v) {
    if (typeof v === 'string') return v;
    if (v === undefined) return 'undefined';
    if (typeof v === 'function') return '[Function' + (v.name ? ': ' + v.name : '') + ']';
    if (v instanceof Error) return v.name + ': ' + v.message;
    if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
    try { var s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  }

  // printf-style substitution as browsers do it (React's own warnings use %s).
  function format(args) {
    var parts = Array.prototype.slice.call(args);
    if (typeof parts[0] === 'string' && /%[sdifoOc]/.test(parts[0])) {
      var rest = parts.slice(1);
      var text = parts[0].replace(/%([sdifoOc%])/g, function (m, c) {
        if (c === '%') return '%';
        if (!rest.length) return m;
        var v = rest.shift();
        if (c === 'c') return '';
        if (c === 'd' || c === 'i') return String(parseInt(v, 10));
        if (c === 'f') return String(parseFloat(v));
        return show(v);
      });
      parts = [text].concat(rest);
    }
    return parts.map(show).join(' ');
  }

  function record(entry) {
    entry.at = env.now;
    entry.owner = env.owner;
    env.log.push(entry);
  }

  function writer(level) {
    return function () { record({ kind: 'console', level: level, message: format(arguments) }); };
  }
  g.console = { log: writer('log'), info: writer('info'), debug: writer('debug'), warn: writer('warn'), error: writer('error') };

  env.reportError = function (phase, e) {
    var isError = e !== null && typeof e === 'object' && 'message' in e;
    record({ kind: 'error', phase: phase, name: isError && e.name ? String(e.name) : 'Error',
             message: isError ? String(e.message) : 'Uncaught ' + show(e), stack: isError && e.stack ? String(e.stack) : '' });
  };

  env.reportNote = function (message) { record({ kind: 'note', message: String(message) }); };

  // ---- events and the window ----------------------------------------------------------------
  class Event {
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      init = init || {};
      this.type = String(type);
      this.bubbles = !!init.bubbles;
      this.cancelable = !!init.cancelable;
      this.composed = !!init.composed;
      this.defaultPrevented = false;
      this.isTrusted = false;
      this.timeStamp = env.now;
      this.target = null;
      this.currentTarget = null;
      this.eventPhase = 0;
      this._stop = false;
      this._stopNow = false;
    }
    preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
    stopPropagation() { this._stop = true; }
    stopImmediatePropagation() { this._stop = this._stopNow = true; }
  }
  class CustomEvent extends Event {
    constructor(type, init) { super(type, init); this.detail = init && init.detail !== undefined ? init.detail : null; }
  }

  function makeEventTarget(target, phaseName) {
    var listeners = {};
    target.addEventListener = function (type, fn, options) {
      if (typeof fn !== 'function' && !(fn && typeof fn.handleEvent === 'function')) return;
      var list = listeners[type] || (listeners[type] = []);
      if (list.some(function (l) { return l.fn === fn; })) return;  // the DOM ignores duplicates
      list.push({ fn: fn, once: !!(options && options.once), owner: env.owner });
    };
    target.removeEventListener = function (type, fn) {
      if (listeners[type]) listeners[type] = listeners[type].filter(function (l) { return l.fn !== fn; });
    };
    target.dispatchEvent = function (event) {
      if (!(event instanceof Event)) throw new TypeError("Failed to execute 'dispatchEvent': parameter 1 is not of type 'Event'.");
      event.target = event.currentTarget = target;
      event.eventPhase = 2;
      var list = (listeners[event.type] || []).slice();
      for (var i = 0; i < list.length && !event._stopNow; i++) {
        var l = list[i];
        if (l.once) target.removeEventListener(event.type, l.fn);
        try {
          if (typeof l.fn === 'function') l.fn.call(target, event); else l.fn.handleEvent(event);
        } catch (e) {
          env.reportError(phaseName + ' "' + event.type + '" listener', e);  // a browser reports it and goes on
        }
      }
      event.currentTarget = null;
      event.eventPhase = 0;
      return !event.defaultPrevented;
    };
    return listeners;
  }

  var windowListeners = makeEventTarget(g, 'window');
  env.listenersOf = function (owner) {
    var n = 0;
    Object.keys(windowListeners).forEach(function (t) {
      windowListeners[t].forEach(function (l) { if (l.owner === owner) n++; });
    });
    return n;
  };
  env.listenerCount = function (type) { return (windowListeners[type] || []).length; };

  function Storage() { this._items = new Map(); }
  Storage.prototype.getItem = function (k) { k = String(k); return this._items.has(k) ? this._items.get(k) : null; };
  Storage.prototype.setItem = function (k, v) { this._items.set(String(k), String(v)); };
  Storage.prototype.removeItem = function (k) { this._items.delete(String(k)); };
  Storage.prototype.clear = function () { this._items.clear(); };
  Storage.prototype.key = function (i) { var keys = Array.from(this._items.keys()); return i < keys.length ? keys[i] : null; };
  Object.defineProperty(Storage.prototype, 'length', { get: function () { return this._items.size; } });

  g.window = g;
  g.self = g;
  g.Event = Event;
  g.CustomEvent = CustomEvent;
  g.localStorage = new Storage();
  g.sessionStorage = new Storage();
  g.innerWidth = 1280;
  g.innerHeight = 800;
  g.devicePixelRatio = 1;
  g.location = { href: 'https://shop.example/cart', origin: 'https://shop.example', protocol: 'https:',
                 host: 'shop.example', hostname: 'shop.example', pathname: '/cart', search: '', hash: '' };
  g.navigator = { userAgent: 'Mozilla/5.0 (PluginStudio preview)', language: 'en-US', languages: ['en-US'], onLine: true };
  g.matchMedia = function (query) {
    return { matches: false, media: String(query), addListener: function () {}, removeListener: function () {},
             addEventListener: function () {}, removeEventListener: function () {} };
  };
  var doc = { title: '', readyState: 'complete', cookie: '', body: {}, documentElement: {},
              getElementById: function () { return null; }, querySelector: function () { return null; },
              querySelectorAll: function () { return []; } };
  makeEventTarget(doc, 'document');
  g.document = doc;
  g.alert = function (message) { record({ kind: 'dialog', dialog: 'alert', message: show(message) }); };
  g.confirm = function (message) { record({ kind: 'dialog', dialog: 'confirm', message: show(message) }); return false; };
  g.prompt = function (message) { record({ kind: 'dialog', dialog: 'prompt', message: show(message) }); return null; };
  g.fetch = function (url) {
    return Promise.reject(new TypeError('Failed to fetch ' + show(url) + ': the preview has no network'));
  };
  g.queueMicrotask = function (fn) { Promise.resolve().then(fn); };

  // ---- timers on the virtual clock ----------------------------------------------------------
  function addTimer(fn, ms, args, every, isPrivate) {
    if (typeof fn !== 'function') throw new TypeError('setTimeout/setInterval need a function');
    var delay = Math.max(0, Number(ms) || 0);
    var timer = { id: ++env.seq, at: env.now + delay, fn: fn, args: args, every: every ? Math.max(1, delay) : 0,
                  owner: env.owner, private: !!isPrivate };
    env.timers.push(timer);
    return timer.id;
  }
  function clearTimer(id) { env.timers = env.timers.filter(function (t) { return t.id !== id; }); }
  g.setTimeout = function (fn, ms) { return addTimer(fn, ms, Array.prototype.slice.call(arguments, 2), false); };
  g.setInterval = function (fn, ms) { return addTimer(fn, ms, Array.prototype.slice.call(arguments, 2), true); };
  g.clearTimeout = g.clearInterval = clearTimer;
  g.requestAnimationFrame = function (fn) { return addTimer(function () { fn(env.now); }, 16, [], false); };
  g.cancelAnimationFrame = clearTimer;

  env.setPrivateTimeout = function (fn, ms) { return addTimer(fn, ms, [], false, true); };
  env.clearTimer = clearTimer;
  env.timersOf = function (owner) { return env.timers.filter(function (t) { return t.owner === owner && !t.private; }).length; };

  // The first timer due at or before `target` (ms), or null.
  env.nextDue = function (target) {
    var best = null;
    env.timers.forEach(function (t) { if (t.at <= target && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t; });
    return best;
  };
  env.nextTimerIn = function () {
    var next = null;
    env.timers.forEach(function (t) { if (!next || t.at < next) next = t.at; });
    return next === null ? null : Math.max(0, next - env.now);
  };
  env.fire = function (timer) {
    env.now = Math.max(env.now, timer.at);
    if (timer.every) timer.at += timer.every; else clearTimer(timer.id);
    var previous = env.owner;
    env.owner = timer.owner;
    try {
      if (!timer.private) record({ kind: 'timer', timer: timer.id, repeat: !!timer.every });
      timer.fn.apply(undefined, timer.args);
    } catch (e) {
      env.reportError('timer callback', e);
    } finally {
      env.owner = previous;
    }
  };
  env.takeLog = function () { var out = env.log; env.log = []; return out; };
  env.show = show;

  g.__studioEnv = env;
})(globalThis);
