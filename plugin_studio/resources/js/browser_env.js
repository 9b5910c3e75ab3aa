/*
 * The browser the storefront's hooks and events run in (DESIGN §5, Environment), for a frontend
 * plugin interpreter: `window` is the global object and an EventTarget with `location`; a small
 * `document`; `localStorage` / `sessionStorage`; `navigator`; `alert` / `confirm` / `prompt`
 * (recorded in the step's console: nobody answers them); `fetch` answered from canned responses
 * or rejected as Chrome rejects a failed request. `Intl`, the locale-aware toLocaleString methods
 * and the legacy RegExp statics are browser_builtins.js's (evaluated after this file; widget
 * previews have them too). Timers are plugin_runtime.js's virtual clock.
 *
 * Libraries from npm do the real work, loaded on first use (they cost 30-400 ms to load):
 * domino (DOM, events, location), intl (ECMA-402 formatting with CLDR data), whatwg-fetch
 * (Headers, Request, Response). Written here, because no npm package provides them without Node or
 * a real browser: Storage (a few lines over a Map), the canned fetch itself, the dialogs, and the
 * legacy RegExp statics (RegExp.lastMatch...), which Chrome has, QuickJS lacks, and domino's CSS
 * parser and intl both read.
 */
(function (ps) {
  'use strict';
  const g = globalThis;
  const env = ps.browser = {url: 'https://storefront.example/cart', fetch: [], language: 'en-US'};

  // ---- lazy globals: each replaced by its value on first use ---------------------------------
  function lazy(name, make) {
    Object.defineProperty(g, name, {
      configurable: true, enumerable: false,
      get() { const v = make(); Object.defineProperty(g, name, {value: v, writable: true, configurable: true}); return v; },
      set(v) { Object.defineProperty(g, name, {value: v, writable: true, configurable: true}); },
    });
  }

  // ---- DOM: domino's window, the global object forwarding to it ------------------------------
  let dom = null;
  function domWindow() {
    if (dom === null) {
      g.global = g;  // domino's files look for Node's name of the global object
      const domino = __pkg.require('domino');
      dom = domino.createWindow('<!doctype html><html><head><title>Storefront</title></head><body></body></html>', env.url);
    }
    return dom;
  }
  g.window = g.self = g.globalThis;
  for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
    g[name] = function () { const w = domWindow(); return w[name].apply(w, arguments); };
  }
  lazy('document', () => domWindow().document);
  lazy('location', () => domWindow().location);
  lazy('history', () => ({length: 1, state: null, back() {}, forward() {}, go() {}, pushState() {}, replaceState() {}}));
  for (const name of ['Event', 'CustomEvent', 'EventTarget', 'Node', 'Element', 'HTMLElement', 'Text',
                      'DocumentFragment', 'Document', 'DOMException']) {
    lazy(name, () => domWindow()[name] || __pkg.require('domino').impl[name]);
  }
  lazy('MouseEvent', () => domWindow().MouseEvent || domWindow().Event);
  lazy('KeyboardEvent', () => domWindow().KeyboardEvent || domWindow().Event);
  lazy('StorageEvent', () => class StorageEvent extends domWindow().Event {
    constructor(type, init) {
      super(type, init);
      init = init || {};
      this.key = init.key === undefined ? null : init.key;
      this.oldValue = init.oldValue === undefined ? null : init.oldValue;
      this.newValue = init.newValue === undefined ? null : init.newValue;
      this.url = init.url || env.url;
      this.storageArea = init.storageArea || null;
    }
  });
  g.getComputedStyle = el => el.style;
  g.requestAnimationFrame = fn => g.setTimeout(() => fn(ps.virtualNow()), 16);
  g.cancelAnimationFrame = id => g.clearTimeout(id);
  g.innerWidth = 1280; g.innerHeight = 800; g.devicePixelRatio = 1;
  g.scrollTo = g.scroll = function () {};

  // ---- storage -------------------------------------------------------------------------------
  class Storage {
    constructor() { Object.defineProperty(this, '_items', {value: new Map()}); }
    get length() { return this._items.size; }
    key(i) { return i >= 0 && i < this._items.size ? Array.from(this._items.keys())[i] : null; }
    getItem(k) { k = String(k); return this._items.has(k) ? this._items.get(k) : null; }
    setItem(k, v) { this._items.set(String(k), String(v)); }
    removeItem(k) { this._items.delete(String(k)); }
    clear() { this._items.clear(); }
  }
  g.Storage = Storage;
  g.localStorage = new Storage();
  g.sessionStorage = new Storage();
  ps.setStorage = function (name, entries) {
    const area = g[name];
    area.clear();
    for (const k of Object.keys(entries || {})) area.setItem(k, entries[k]);
  };

  // ---- navigator -----------------------------------------------------------------------------
  g.navigator = Object.freeze({
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    language: env.language, languages: Object.freeze([env.language, 'en']), platform: 'Linux x86_64',
    onLine: true, cookieEnabled: true, vendor: 'Google Inc.', hardwareConcurrency: 4, maxTouchPoints: 0,
    sendBeacon: () => false,
  });

  // ---- dialogs: recorded, answered as a headless browser answers them ------------------------
  g.alert = function (message) { ps.record('alert', 'alert: ' + String(message === undefined ? '' : message)); };
  g.confirm = function (message) {
    ps.record('alert', 'confirm: ' + String(message === undefined ? '' : message) + ' → false (no one to click OK)');
    return false;
  };
  g.prompt = function (message) {
    ps.record('alert', 'prompt: ' + String(message === undefined ? '' : message) + ' → null (no one to type)');
    return null;
  };

  // ---- fetch: canned responses ---------------------------------------------------------------
  function fetchClasses() { return __pkg.require('whatwg-fetch'); }
  lazy('Headers', () => fetchClasses().Headers);
  lazy('Request', () => fetchClasses().Request);
  lazy('Response', () => fetchClasses().Response);
  function matches(entry, method, url) {
    if ((entry.method || 'GET').toUpperCase() !== method) return false;
    const pattern = String(entry.url || '');
    let path = url;
    const origin = env.url.replace(/^(https?:\/\/[^/]+).*$/, '$1');
    if (path.indexOf(origin) === 0) path = path.slice(origin.length) || '/';
    const bare = path.split('?')[0];
    if (pattern.slice(-1) === '*') return url.indexOf(pattern.slice(0, -1)) === 0 || path.indexOf(pattern.slice(0, -1)) === 0;
    return pattern === url || pattern === path || pattern === bare;
  }
  g.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : String(input && input.url || input);
    const method = String((init && init.method) || (input && input.method) || 'GET').toUpperCase();
    const entry = env.fetch.find(e => matches(e, method, url));
    if (!entry) {
      ps.record('fetch', method + ' ' + url + ' → rejected: no canned response (TypeError: Failed to fetch)');
      return Promise.reject(new TypeError('Failed to fetch'));
    }
    const status = entry.status === undefined ? 200 : entry.status;
    ps.record('fetch', method + ' ' + url + ' → ' + status + ' (canned)');
    const body = entry.body === undefined || entry.body === null ? null
      : (typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body));
    const headers = Object.assign(typeof entry.body === 'object' && entry.body !== null
      ? {'content-type': 'application/json'} : {}, entry.headers || {});
    const make = () => new g.Response(body, {status: status, statusText: entry.statusText || '', headers: headers});
    if (entry.delay_ms) return new Promise(resolve => g.setTimeout(() => resolve(make()), entry.delay_ms));
    return Promise.resolve(make());
  };
  ps.setFetch = function (entries) { env.fetch = Array.isArray(entries) ? entries : []; };
  ps.setUrl = function (url) { env.url = String(url); if (dom) dom.location.href = env.url; };

  // The legacy RegExp statics, Intl and the locale-aware toLocaleString methods: browser_builtins.js.
})(globalThis.__ps);
0;
