/*
 * What Chrome's JavaScript has and QuickJS lacks, for the storefront's browser code: frontend
 * plugin interpreters (after browser_env.js) and widget previews. `Intl` and the locale-aware
 * toLocaleString methods of Number and Date come from the `intl` npm package (ECMA-402 formatting
 * with CLDR data), loaded on first use, each locale's data as it is asked for; structuredClone, URL,
 * URLSearchParams and AbortController from core-js-pure and abortcontroller-polyfill. The legacy RegExp
 * statics (RegExp.lastMatch...; Annex B) are written here: no package provides them, and intl
 * and domino's CSS parser read them.
 *
 * Evaluated as a function of (global object, require of the pinned packages, default language).
 */
(function (g, require, language) {
  'use strict';
  function lazy(name, make) {
    Object.defineProperty(g, name, {
      configurable: true, enumerable: false,
      get() { const v = make(); Object.defineProperty(g, name, {value: v, writable: true, configurable: true}); return v; },
      set(v) { Object.defineProperty(g, name, {value: v, writable: true, configurable: true}); },
    });
  }

  // ---- legacy RegExp statics (Annex B "legacy RegExp features", as Chrome has them) ----------
  (function () {
    const exec = RegExp.prototype.exec;
    let last = null;
    Object.defineProperty(RegExp.prototype, 'exec', {
      value: function exec_(s) { const m = exec.call(this, s); if (m) last = m; return m; },
      writable: true, configurable: true,
    });
    const getter = f => ({get: f, configurable: true});
    const props = {
      input: () => (last ? last.input : ''), lastMatch: () => (last ? last[0] : ''),
      leftContext: () => (last ? last.input.slice(0, last.index) : ''),
      rightContext: () => (last ? last.input.slice(last.index + last[0].length) : ''),
      lastParen: () => (last && last.length > 1 ? last[last.length - 1] || '' : ''),
    };
    for (const name of Object.keys(props)) Object.defineProperty(RegExp, name, getter(props[name]));
    Object.defineProperty(RegExp, '$_', getter(props.input));
    Object.defineProperty(RegExp, '$&', getter(props.lastMatch));
    for (let n = 1; n <= 9; n++) Object.defineProperty(RegExp, '$' + n, getter(() => (last && last[n] !== undefined ? last[n] : '')));
    Object.defineProperty(RegExp, 'multiline', getter(() => false));
  })();

  // ---- Intl: the intl package with CLDR data, locales loaded as they are asked for -----------
  let intl = null;
  const loadedLocales = {};
  function loadLocale(tag) {
    if (loadedLocales[tag] !== undefined) return loadedLocales[tag];
    try { require('intl/locale-data/jsonp/' + tag + '.js'); loadedLocales[tag] = true; } catch (e) { loadedLocales[tag] = false; }
    return loadedLocales[tag];
  }
  function withLocales(locales) {
    const list = locales === undefined ? [] : (Array.isArray(locales) ? locales : [locales]);
    for (const tag of list) {
      const t = String(tag);
      if (!loadLocale(t)) loadLocale(t.split('-')[0]);
    }
  }
  function polyfill() {
    if (intl === null) {
      g.self = g.global = g;  // intl looks for the global object under these names
      intl = require('intl');
      loadLocale('en'); loadLocale('en-US');
      intl.__setDefaultLocale && intl.__setDefaultLocale(language);
    }
    return intl;
  }
  function wrapConstructor(name) {
    const Wrapped = function (locales, options) {
      withLocales((polyfill(), locales));
      return new intl[name](locales, options);
    };
    Wrapped.supportedLocalesOf = (locales, options) => { withLocales((polyfill(), locales)); return intl[name].supportedLocalesOf(locales, options); };
    Object.defineProperty(Wrapped, 'name', {value: name});
    return Wrapped;
  }
  lazy('Intl', () => {
    polyfill();
    return Object.freeze({
      NumberFormat: wrapConstructor('NumberFormat'), DateTimeFormat: wrapConstructor('DateTimeFormat'),
      getCanonicalLocales: l => intl.getCanonicalLocales(l),
    });
  });
  // As ECMA-402's ToDateTimeOptions: the defaults apply only when the options name no field of their own.
  const FIELDS = ['weekday', 'year', 'month', 'day', 'hour', 'minute', 'second', 'dateStyle', 'timeStyle'];
  function localeAware(proto, name, ctor, defaults) {
    Object.defineProperty(proto, name, {
      writable: true, configurable: true,
      value: function (locales, options) {
        withLocales((polyfill(), locales));
        const own = options || {};
        const opts = FIELDS.some(f => own[f] !== undefined) ? own : Object.assign({}, defaults, own);
        return new intl[ctor](locales, opts).format(this);
      },
    });
  }
  const DATE = {year: 'numeric', month: 'numeric', day: 'numeric'};
  const TIME = {hour: 'numeric', minute: 'numeric', second: 'numeric'};
  localeAware(Number.prototype, 'toLocaleString', 'NumberFormat', {});
  localeAware(Date.prototype, 'toLocaleString', 'DateTimeFormat', Object.assign({}, DATE, TIME));
  localeAware(Date.prototype, 'toLocaleDateString', 'DateTimeFormat', DATE);
  localeAware(Date.prototype, 'toLocaleTimeString', 'DateTimeFormat', TIME);

  // ---- web APIs Chrome has and QuickJS lacks, from pinned packages, loaded on first use ------
  // core-js-pure's structuredClone, URL and URLSearchParams (the WHATWG algorithms, without
  // touching other globals), abortcontroller-polyfill's AbortController and AbortSignal (abort
  // events through the page's Event, reasons as DOMExceptions). A package provides a group of
  // globals and reads them while it loads, to find native ones: they are undefined meanwhile.
  function fromPackage(names, load) {
    const missing = names.filter(name => !(name in g));  // the environment's own (a DOM library's) stay
    let loaded = null;
    function group() {
      if (loaded === null) {
        const define = value => name => Object.defineProperty(g, name, {value: value(name), writable: true, configurable: true});
        missing.forEach(define(() => undefined));
        loaded = load();
        missing.forEach(define(name => loaded[name]));
      }
      return loaded;
    }
    for (const name of missing) lazy(name, () => group()[name]);
  }
  fromPackage(['structuredClone'], () => ({structuredClone: require('core-js-pure/actual/structured-clone')}));
  fromPackage(['URL', 'URLSearchParams'], () => ({URL: require('core-js-pure/actual/url'),
                                                  URLSearchParams: require('core-js-pure/actual/url-search-params')}));
  fromPackage(['AbortController', 'AbortSignal'], () => require('abortcontroller-polyfill/dist/cjs-ponyfill'));
})
