/*
 * Host elements as plain data, shared by the preview (QuickJS) and the conformance generator
 * (Node.js, reading react-dom's DOM), so both describe a rendered element the same way:
 *
 *   {"type": "button", "props": {...}, "children": [...], "dom": {"value": "..."}, "hidden": true}
 *
 * ``props`` are the element's React props as JSON: handlers become {"$handler": "onClick"}, other
 * functions are left out, non-finite numbers become strings; ``children`` holds elements and
 * strings, adjacent texts joined and empty ones dropped, as a browser's DOM shows them.
 */
(function () {
  'use strict';

  function isElement(value) {
    return value !== null && typeof value === 'object' && (value.$$typeof === Symbol.for('react.element'));
  }

  function plain(value, depthLeft, seen) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return isFinite(value) ? value : String(value);
    if (typeof value === 'bigint') return String(value);
    if (typeof value === 'function' || value === undefined || typeof value === 'symbol') return undefined;
    if (depthLeft <= 0 || seen.indexOf(value) >= 0) return '[…]';
    if (isElement(value)) {
      var type = value.type;
      return '[element ' + (typeof type === 'string' ? type : (type && (type.displayName || type.name)) || 'Component') + ']';
    }
    seen.push(value);
    var out;
    if (Array.isArray(value)) {
      out = value.map(function (v) { var p = plain(v, depthLeft - 1, seen); return p === undefined ? null : p; });
    } else {
      out = {};
      Object.keys(value).forEach(function (k) {
        var p = plain(value[k], depthLeft - 1, seen);
        if (p !== undefined) out[k] = p;
      });
    }
    seen.pop();
    return out;
  }

  // The JSON form of an element's props (``children`` left out: they are the element's children).
  function plainProps(props) {
    var out = {};
    Object.keys(props).forEach(function (name) {
      if (name === 'children') return;
      var value = props[name];
      if (typeof value === 'function') {
        if (/^on[A-Z]/.test(name)) out[name] = { $handler: name };
        return;
      }
      var p = plain(value, 8, []);
      if (p !== undefined) out[name] = p;
    });
    return out;
  }

  // Adjacent texts joined, empty ones dropped (React never shows an empty text; a DOM may hold one).
  function pushText(list, text) {
    if (text === '') return;
    if (list.length && typeof list[list.length - 1] === 'string') list[list.length - 1] += text;
    else list.push(text);
  }

  return { plainProps: plainProps, pushText: pushText };
})
