/*
 * The preview's host for react-reconciler: elements that behave like the DOM elements react-dom
 * makes (what a ref sees: value, checked, focus(), click(), textContent, listeners...), and the
 * mutation host config that builds them. The Qt side receives them as plain data (widget_tree.js).
 *
 * Form elements keep their own state as a browser's do: a typed value stays in an uncontrolled
 * <input> (and with its element when React moves it), and React writes a controlled value back,
 * as react-dom does, with the value tracker that decides whether onChange fires.
 *
 * Evaluated as a function of (env, tree); returns {hostConfig(options), Element, TextNode, ...}.
 */
(function (env, tree) {
  'use strict';
  var nextId = 0;
  var SVG = 'svg';
  var HTML = 'html';

  // react-dom makes every host element with document.createElement, which throws for a name that
  // is not an XML Name (XML 1.0 5th ed., production [5], the check Chrome applies). The preview's
  // elements are its own, not a DOM library's, so the check is written here with Chrome's words.
  var NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D' +
                   '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
  var XML_NAME = new RegExp('^[' + NAME_START + '][' + NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*$', 'u');

  // The DOMException Chrome throws creating an element named `type`, or null when it can be made.
  function invalidElementName(type) {
    if (XML_NAME.test(type)) return null;
    return new DOMException("Failed to execute 'createElement' on 'Document': The tag name provided ('" + type +
                            "') is not a valid name.", 'InvalidCharacterError');
  }

  function toText(value) { return value === null || value === undefined ? '' : String(value); }
  function isCheckable(el) { return el.__type === 'input' && (el.__props.type === 'checkbox' || el.__props.type === 'radio'); }

  // ---- elements ------------------------------------------------------------------------------
  class Element {
    constructor(type, props, root, svg) {
      this.__id = ++nextId;
      this.__type = type;
      this.__props = props;
      this.__root = root;
      this.__svg = svg;
      this.__children = [];
      this.__parent = null;
      this.__text = null;       // text set as content (react-dom's textContent path)
      this.__hidden = false;    // hidden by Suspense
      this.__listeners = {};    // listeners added by the widget through a ref
      this.__dom = null;        // form state: {value, checked, dirtyValue, dirtyChecked, tracked}
      this.__plain = null;      // the props as JSON data, while what they show is unchanged (plainPropsOf)
      if (type === 'input' || type === 'textarea' || type === 'select') initFormState(this, props);
    }

    get nodeType() { return 1; }
    get tagName() { return this.__svg ? this.__type : this.__type.toUpperCase(); }
    get nodeName() { return this.tagName; }
    get localName() { return this.__type; }
    get id() { return toText(this.__props.id); }
    get className() { return toText(this.__props.className); }
    get name() { return toText(this.__props.name); }
    get type() { return this.__type === 'input' ? toText(this.__props.type || 'text') : this.__type === 'button' ? toText(this.__props.type || 'submit') : undefined; }
    get disabled() { return !!this.__props.disabled; }
    get parentNode() { return this.__parent instanceof Element ? this.__parent : null; }
    get parentElement() { return this.parentNode; }
    get childNodes() { return this.__children.slice(); }
    get children() { return this.__children.filter(function (c) { return c instanceof Element; }); }
    get firstChild() { return this.__children[0] || null; }
    get lastChild() { return this.__children[this.__children.length - 1] || null; }
    get textContent() { return this.__text !== null ? this.__text : this.__children.map(function (c) { return c.textContent; }).join(''); }
    get innerText() { return this.textContent; }
    get dataset() {
      var out = {};
      var props = this.__props;
      Object.keys(props).forEach(function (k) {
        if (k.indexOf('data-') === 0) out[k.slice(5).replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); })] = toText(props[k]);
      });
      return out;
    }
    get style() { return Object.assign({}, this.__props.style || {}); }
    get ownerDocument() { return env.document; }

    get value() {
      if (!this.__dom) return this.__props.value === undefined ? undefined : toText(this.__props.value);
      return this.__type === 'select' ? selectValue(this) : this.__dom.value;
    }
    // A script's write updates React's value tracker too (react-dom intercepts the property).
    set value(v) { if (this.__dom) { this.__dom.value = toText(v); this.__dom.dirtyValue = true; track(this); } }
    get checked() { return this.__dom ? this.__dom.checked : false; }
    set checked(v) { if (this.__dom) { this.__dom.checked = !!v; this.__dom.dirtyChecked = true; track(this); } }
    get defaultValue() { return toText(this.__props.defaultValue); }
    get form() { return closest(this, 'form'); }

    getAttribute(name) {
      var prop = { 'class': 'className', 'for': 'htmlFor' }[name] || name;
      var v = this.__props[prop];
      return v === undefined || v === null || v === false || typeof v === 'function' ? null : v === true ? '' : String(v);
    }
    hasAttribute(name) { return this.getAttribute(name) !== null; }
    contains(other) {
      for (var n = other; n; n = n.__parent) if (n === this) return true;
      return false;
    }
    getBoundingClientRect() { return { x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 }; }
    get offsetWidth() { return 0; }
    get offsetHeight() { return 0; }
    scrollIntoView() {}
    scrollTo() {}
    select() {}
    setSelectionRange() {}
    addEventListener(type, fn) {
      if (typeof fn !== 'function' && !(fn && typeof fn.handleEvent === 'function')) return;
      var list = this.__listeners[type] || (this.__listeners[type] = []);
      if (list.indexOf(fn) < 0) list.push(fn);
    }
    removeEventListener(type, fn) {
      if (this.__listeners[type]) this.__listeners[type] = this.__listeners[type].filter(function (f) { return f !== fn; });
    }
    focus() { if (this.__root.events) this.__root.events.focus(this.__root, this); }
    blur() { if (this.__root.events) this.__root.events.blur(this.__root, this); }
    click() { if (this.__root.events) this.__root.events.click(this.__root, this, false); }
  }

  class TextNode {
    constructor(text) { this.__text = text; this.__parent = null; this.__hidden = false; }
    get nodeType() { return 3; }
    get nodeName() { return '#text'; }
    get data() { return this.__text; }
    get nodeValue() { return this.__text; }
    get textContent() { return this.__text; }
    get parentNode() { return this.__parent instanceof Element ? this.__parent : null; }
  }

  function closest(el, type) {
    for (var n = el; n instanceof Element; n = n.__parent) if (n.__type === type) return n;
    return null;
  }

  // ---- form state, as react-dom's ReactDOMInput/Textarea/Select keep it ----------------------
  function initFormState(el, props) {
    var dom = el.__dom = { value: '', checked: false, dirtyValue: false, dirtyChecked: false, tracked: null };
    if (el.__type === 'textarea') {
      dom.value = props.value != null ? toText(props.value) : props.defaultValue != null ? toText(props.defaultValue) : toText(props.children);
    } else if (el.__type === 'select') {
      dom.value = props.value != null ? props.value : props.defaultValue != null ? props.defaultValue : null;
    } else {
      dom.value = props.value != null ? toText(props.value) : props.defaultValue != null ? toText(props.defaultValue) : isCheckable(el) ? 'on' : '';
      dom.checked = props.checked != null ? !!props.checked : !!props.defaultChecked;
    }
    track(el);
  }

  // React's value tracker: the value React last knew; onChange fires only when the DOM differs.
  function track(el) { el.__dom.tracked = trackedValue(el); }
  function trackedValue(el) { return isCheckable(el) ? String(el.__dom.checked) : String(el.value); }
  function valueChanged(el) {
    if (!el.__dom) return false;
    var now = trackedValue(el);
    if (now === el.__dom.tracked) return false;
    el.__dom.tracked = now;
    return true;
  }

  function selectValue(el) {
    if (el.__dom.value !== null && el.__dom.value !== undefined) return toText(el.__dom.value);
    var first = null;
    (function walk(list) {
      for (var i = 0; i < list.length && first === null; i++) {
        if (list[i] instanceof Element) {
          if (list[i].__type === 'option') first = list[i].__props.value !== undefined ? toText(list[i].__props.value) : list[i].textContent;
          else walk(list[i].__children);
        }
      }
    })(el.__children);
    return first === null ? '' : first;
  }

  // After a render, or after an event React handled: a controlled element shows its props again.
  function restoreControlled(el, props) {
    var dom = el.__dom;
    if (!dom) return;
    if (el.__type === 'select') {
      if (props.value != null) dom.value = props.value;
      else if (!dom.dirtyValue && props.defaultValue != null) dom.value = props.defaultValue;
    } else {
      if (props.checked != null) dom.checked = !!props.checked;
      else if (!dom.dirtyChecked && props.defaultChecked != null) dom.checked = !!props.defaultChecked;
      if (props.value != null) dom.value = toText(props.value);
      else if (!dom.dirtyValue && props.defaultValue != null && el.__type !== 'textarea') dom.value = toText(props.defaultValue);
    }
    track(el);
  }

  // ---- tree operations -----------------------------------------------------------------------
  function detach(child) {
    var parent = child.__parent;
    if (parent) {
      var i = parent.__children.indexOf(child);
      if (i >= 0) parent.__children.splice(i, 1);
    }
    child.__parent = null;
  }
  function appendChild(parent, child) {
    detach(child);
    parent.__children.push(child);
    child.__parent = parent;
  }
  function insertBefore(parent, child, before) {
    detach(child);
    var i = parent.__children.indexOf(before);
    parent.__children.splice(i < 0 ? parent.__children.length : i, 0, child);
    child.__parent = parent;
  }
  function removeChild(parent, child) {
    detach(child);
    if (child.__root && child.__root.focused && child.contains && child.contains(child.__root.focused)) child.__root.focused = null;
  }

  // react-dom sets text as content for these (no text children in the tree of fibers).
  function shouldSetTextContent(type, props) {
    return type === 'textarea' || type === 'noscript' || typeof props.children === 'string' ||
      typeof props.children === 'number' ||
      (typeof props.dangerouslySetInnerHTML === 'object' && props.dangerouslySetInnerHTML !== null &&
       props.dangerouslySetInnerHTML.__html != null);
  }

  function contentText(type, props) {
    if (type === 'textarea' || props.dangerouslySetInnerHTML != null) return null;
    return typeof props.children === 'string' || typeof props.children === 'number' ? String(props.children) : null;
  }

  // Whether props `a` and `b` serialise differently (widget_tree.js plainProps): a re-render gives an
  // element new props objects (a new style object, a new handler function) that most often show
  // the same, and the whole tree is serialised after every call.
  function shownDiffer(a, b) {
    var keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return true;
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      if (k === 'children') continue;
      if (!(k in b)) return true;
      var x = a[k], y = b[k];
      if (Object.is(x, y) || (typeof x === 'function' && typeof y === 'function')) continue;
      if (!x || !y || typeof x !== 'object' || typeof y !== 'object' || Array.isArray(x) !== Array.isArray(y) ||
          entriesDiffer(x, y)) return true;
    }
    return false;
  }

  function entriesDiffer(x, y) {
    var keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return true;
    for (var i = 0; i < keys.length; i++) {
      var v = x[keys[i]];
      if (!Object.is(v, y[keys[i]]) || (v !== null && typeof v === 'object') || !(keys[i] in y)) return true;
    }
    return false;
  }

  function plainPropsOf(el) {
    if (el.__plain === null) el.__plain = tree.plainProps(el.__props);
    return el.__plain;
  }

  function propsDiffer(a, b) {
    var keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return true;
    for (var i = 0; i < keys.length; i++) if (!Object.is(a[keys[i]], b[keys[i]]) || !(keys[i] in b)) return true;
    return false;
  }

  // options: {root(container) → the preview root, now() → ms, scheduleMicrotask(fn), eventPriority() → lane}
  function hostConfig(options) {
    return {
      supportsMutation: true, supportsPersistence: false, supportsHydration: false, isPrimaryRenderer: true,
      supportsMicrotasks: true, warnsIfNotActing: false, noTimeout: -1,
      getRootHostContext: function () { return HTML; },
      getChildHostContext: function (parent, type) { return type === 'svg' ? SVG : type === 'foreignObject' ? HTML : parent; },
      getPublicInstance: function (instance) { return instance; },
      prepareForCommit: function () { return null; },
      resetAfterCommit: function (container) { container.root.commits++; },
      preparePortalMount: function () {},
      createInstance: function (type, props, container, hostContext) {
        var invalid = invalidElementName(type);
        if (invalid) throw invalid;
        var el = new Element(type, props, container.root, hostContext === SVG || type === 'svg');
        el.__text = contentText(type, props);
        return el;
      },
      appendInitialChild: appendChild,
      finalizeInitialChildren: function (el, type, props) {
        if (el.__dom) restoreControlled(el, props);
        return !!props.autoFocus && (type === 'input' || type === 'textarea' || type === 'select' || type === 'button');
      },
      commitMount: function (el) { el.focus(); },
      prepareUpdate: function (el, type, oldProps, newProps) { return propsDiffer(oldProps, newProps) ? true : null; },
      commitUpdate: function (el, payload, type, oldProps, newProps) {
        if (shownDiffer(el.__props, newProps)) el.__plain = null;
        el.__props = newProps;
        el.__text = contentText(type, newProps);
        if (el.__dom) restoreControlled(el, newProps);
      },
      shouldSetTextContent: shouldSetTextContent,
      resetTextContent: function (el) { el.__text = null; },
      createTextInstance: function (text) { return new TextNode(text); },
      commitTextUpdate: function (node, oldText, newText) { node.__text = newText; },
      appendChild: appendChild,
      appendChildToContainer: appendChild,
      insertBefore: insertBefore,
      insertInContainerBefore: insertBefore,
      removeChild: removeChild,
      removeChildFromContainer: removeChild,
      clearContainer: function (container) { container.__children.slice().forEach(function (c) { detach(c); }); },
      hideInstance: function (el) { el.__hidden = true; },
      unhideInstance: function (el) { el.__hidden = false; },
      hideTextInstance: function (node) { node.__hidden = true; },
      unhideTextInstance: function (node) { node.__hidden = false; },
      scheduleTimeout: function (fn, ms) { return env.setPrivateTimeout(fn, ms); },
      cancelTimeout: function (id) { env.clearTimer(id); },
      scheduleMicrotask: options.scheduleMicrotask,
      getCurrentEventPriority: options.eventPriority,
      getInstanceFromNode: function () { return null; },
      beforeActiveInstanceBlur: function () {},
      afterActiveInstanceBlur: function () {},
      prepareScopeUpdate: function () {},
      getInstanceFromScope: function () { return null; },
      detachDeletedInstance: function () {},
    };
  }

  // ---- the tree as plain data ----------------------------------------------------------------
  function serialize(children, out) {
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child.__hidden) continue;
      if (child instanceof TextNode) { tree.pushText(out, child.__text); continue; }
      out.push(describe(child));
    }
    return out;
  }

  function describe(el) {
    var node = { id: el.__id, type: el.__type, props: plainPropsOf(el), children: [] };
    if (el.__text !== null) tree.pushText(node.children, el.__text);
    else serialize(el.__children, node.children);
    if (el.__dom) {
      node.dom = isCheckable(el) ? { checked: el.__dom.checked } : { value: el.value };
    }
    return node;
  }

  return {
    Element: Element, TextNode: TextNode, hostConfig: hostConfig, serialize: serialize, closest: closest,
    invalidElementName: invalidElementName,
    isCheckable: isCheckable, valueChanged: valueChanged, restoreControlled: restoreControlled,
  };
})
