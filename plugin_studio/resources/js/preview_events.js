/*
 * User input in the preview, delivered the way a browser and react-dom deliver it.
 *
 * A native event walks the element's ancestors: React's capture handlers run first (react-dom
 * listens at the root container), then listeners a widget added through a ref, then React's bubble
 * handlers, each with a SyntheticEvent whose target, currentTarget, preventDefault() and
 * stopPropagation() behave as React's. onChange comes from the same plugin logic as react-dom's
 * (value tracker; click for checkboxes and radios, input for text fields, change for <select>).
 * After React's handlers the updates are flushed and controlled elements get their props back.
 * Default actions follow the browser: a checkbox toggles before the click and back when it was
 * prevented, a submit button submits its form, a label clicks its control, Enter submits a form.
 *
 * Evaluated as a function of (env, host); call with (reconciler, constants, setPriority).
 */
(function (env, host) {
  'use strict';
  var TEXT_TYPES = { color: 1, date: 1, datetime: 1, 'datetime-local': 1, email: 1, month: 1, number: 1, password: 1,
                     range: 1, search: 1, tel: 1, text: 1, time: 1, url: 1, week: 1 };
  var REACT_NAMES = { click: 'onClick', dblclick: 'onDoubleClick', input: 'onInput', keydown: 'onKeyDown',
                      keyup: 'onKeyUp', keypress: 'onKeyPress', focusin: 'onFocus', focusout: 'onBlur',
                      submit: 'onSubmit', mousedown: 'onMouseDown', mouseup: 'onMouseUp', reset: 'onReset',
                      contextmenu: 'onContextMenu', invalid: 'onInvalid' };
  var MOUSE_NAMES = { onClick: 1, onClickCapture: 1, onDoubleClick: 1, onDoubleClickCapture: 1, onMouseDown: 1,
                      onMouseDownCapture: 1, onMouseUp: 1, onMouseUpCapture: 1, onMouseEnter: 1 };
  var FIELDS = ['key', 'code', 'keyCode', 'charCode', 'which', 'location', 'repeat', 'altKey', 'ctrlKey', 'metaKey',
                'shiftKey', 'button', 'buttons', 'clientX', 'clientY', 'pageX', 'pageY', 'screenX', 'screenY',
                'movementX', 'movementY', 'relatedTarget', 'detail', 'data', 'inputType'];
  var Element = host.Element;

  function yes() { return true; }
  function no() { return false; }

  class NativeEvent {
    constructor(type, init) {
      var self = this;
      this.type = type;
      this.bubbles = !!init.bubbles;
      this.cancelable = !!init.cancelable;
      this.defaultPrevented = false;
      this.isTrusted = init.trusted !== false;
      this.timeStamp = env.now;
      this.target = null;
      this.currentTarget = null;
      this.eventPhase = 0;
      this._stop = this._stopNow = false;
      FIELDS.forEach(function (f) { if (init[f] !== undefined) self[f] = init[f]; });
    }
    preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
    stopPropagation() { this._stop = true; }
    stopImmediatePropagation() { this._stop = this._stopNow = true; }
    getModifierState() { return false; }
  }

  function SyntheticEvent(reactName, type, nativeEvent, target) {
    var self = this;
    this._reactName = reactName;
    this.type = type;
    this.nativeEvent = nativeEvent;
    this.target = target;
    this.currentTarget = null;
    this.eventPhase = nativeEvent.eventPhase;
    this.bubbles = nativeEvent.bubbles;
    this.cancelable = nativeEvent.cancelable;
    this.timeStamp = nativeEvent.timeStamp;
    this.isTrusted = nativeEvent.isTrusted;
    this.defaultPrevented = nativeEvent.defaultPrevented;
    this.isDefaultPrevented = nativeEvent.defaultPrevented ? yes : no;
    this.isPropagationStopped = no;
    FIELDS.forEach(function (f) { if (nativeEvent[f] !== undefined) self[f] = nativeEvent[f]; });
  }
  SyntheticEvent.prototype.preventDefault = function () {
    this.defaultPrevented = true;
    this.nativeEvent.preventDefault();
    this.isDefaultPrevented = yes;
  };
  SyntheticEvent.prototype.stopPropagation = function () {
    this.nativeEvent.stopPropagation();
    this.isPropagationStopped = yes;
  };
  SyntheticEvent.prototype.persist = function () {};
  SyntheticEvent.prototype.isPersistent = yes;
  SyntheticEvent.prototype.getModifierState = function () { return false; };

  function ancestors(el) {
    var path = [];
    for (var n = el; n instanceof Element; n = n.__parent) path.push(n);
    return path;
  }

  function isDisabledControl(el) {
    return !!el.__props.disabled && /^(button|input|select|textarea)$/.test(el.__type);
  }

  function isTextField(el) {
    return el.__type === 'textarea' || (el.__type === 'input' && !!TEXT_TYPES[el.__props.type || 'text']);
  }

  function listenersOf(el, name) {
    var fn = el.__props[name];
    if (typeof fn !== 'function') return null;
    return MOUSE_NAMES[name] && isDisabledControl(el) ? null : fn;
  }

  return function createEvents(reconciler, constants, setPriority) {
    var stateRestore = [];

    function runListeners(root, event, queue) {
      for (var i = 0; i < queue.length; i++) {
        if (event.isPropagationStopped()) break;
        event.currentTarget = queue[i].el;
        root.log.push({ kind: 'handler', handler: queue[i].name, element: queue[i].el.__type, node: queue[i].el.__id,
                        event: event.type, at: env.now });
        try {
          queue[i].fn.call(undefined, event);
        } catch (e) {
          env.reportError(queue[i].name + ' handler on <' + queue[i].el.__type + '>', e);
        }
        event.currentTarget = null;
      }
    }

    function phaseQueue(path, name, capture) {
      var queue = [];
      var order = capture ? path.slice().reverse() : path;
      order.forEach(function (el) {
        var fn = listenersOf(el, name);
        if (fn) queue.push({ el: el, fn: fn, name: name });
      });
      return queue;
    }

    // The events react-dom's plugins extract from one native event, in its order.
    function reactDispatch(root, nativeEvent, path, capture) {
      var target = nativeEvent.target;
      var name = REACT_NAMES[nativeEvent.type];
      if (name) {
        var reactName = capture ? name + 'Capture' : name;
        var simple = new SyntheticEvent(reactName, nativeEvent.type === 'focusin' ? 'focus' :
                                        nativeEvent.type === 'focusout' ? 'blur' : nativeEvent.type, nativeEvent, target);
        runListeners(root, simple, phaseQueue(path, reactName, capture));
      }
      if (!capture && changeTarget(nativeEvent.type, target) && host.valueChanged(target)) {
        var change = new SyntheticEvent('onChange', 'change', nativeEvent, target);
        stateRestore.push(target);
        runListeners(root, change, phaseQueue(path, 'onChangeCapture', true).concat(phaseQueue(path, 'onChange', false)));
      }
    }

    function changeTarget(type, el) {
      if (host.isCheckable(el)) return type === 'click';
      if (el.__type === 'select' || (el.__type === 'input' && el.__props.type === 'file')) return type === 'change';
      return isTextField(el) && (type === 'input' || type === 'change');
    }

    function nativeListeners(el, event) {
      var list = (el.__listeners[event.type] || []).slice();
      event.currentTarget = el;
      for (var i = 0; i < list.length && !event._stopNow; i++) {
        try {
          if (typeof list[i] === 'function') list[i].call(el, event); else list[i].handleEvent(event);
        } catch (e) {
          env.reportError(event.type + ' listener on <' + el.__type + '>', e);
        }
      }
      event.currentTarget = null;
    }

    // One native event through the element's ancestors, React's handlers included, then React's
    // finishing step: flush the updates, give controlled elements their props back.
    function fire(root, el, type, init) {
      var event = new NativeEvent(type, init);
      event.target = el;
      var path = ancestors(el);
      setPriority(init.priority || constants.DiscreteEventPriority);
      try {
        reconciler.batchedUpdates(function () {
          event.eventPhase = 1;
          reactDispatch(root, event, path, true);
          for (var i = 0; i < path.length && !event._stop; i++) {
            if (i > 0 && !event.bubbles) break;
            event.eventPhase = i === 0 ? 2 : 3;
            nativeListeners(path[i], event);
          }
          event.eventPhase = 3;
          if (!event._stop && event.bubbles) reactDispatch(root, event, path, false);
        });
        reconciler.flushSync();
        restoreState();
      } finally {
        setPriority(null);
        event.eventPhase = 0;
      }
      return event;
    }

    function restoreState() {
      var targets = stateRestore;
      stateRestore = [];
      targets.forEach(function (el) {
        host.restoreControlled(el, el.__props);
        if (el.__type === 'input' && el.__props.type === 'radio') radioGroup(el).forEach(function (r) { host.restoreControlled(r, r.__props); });
      });
    }

    function radioGroup(el) {
      var name = el.__props.name;
      if (!name) return [el];
      var scope = host.closest(el, 'form');
      var top = scope || ancestors(el).pop();
      var out = [];
      (function walk(node) {
        if (!(node instanceof Element)) return;
        if (node.__type === 'input' && node.__props.type === 'radio' && node.__props.name === name &&
            host.closest(node, 'form') === scope) out.push(node);
        node.__children.forEach(walk);
      })(top);
      return out;
    }

    function setRadio(el) {
      var before = radioGroup(el).map(function (r) { return [r, r.__dom.checked]; });
      before.forEach(function (pair) { pair[0].__dom.checked = pair[0] === el; pair[0].__dom.dirtyChecked = true; });
      return function undo() { before.forEach(function (pair) { pair[0].__dom.checked = pair[1]; }); };
    }

    // The element whose activation behaviour a click on `el` triggers (a span in a button: the button).
    function activationTarget(el) {
      for (var n = el; n instanceof Element; n = n.__parent) {
        var t = n.__type;
        if (t === 'button' || t === 'label' || t === 'summary' || (t === 'a' && n.__props.href != null)) return n;
        if (t === 'input' && /^(checkbox|radio|submit|image|reset|button)$/.test(n.__props.type || '')) return n;
      }
      return null;
    }

    function preActivate(el) {
      if (!el || !host.isCheckable(el)) return null;
      if (el.__props.type === 'radio') return el.__dom.checked ? null : setRadio(el);
      var was = el.__dom.checked;
      el.__dom.checked = !was;
      el.__dom.dirtyChecked = true;  // the user's click makes the checkedness the element's own
      return function undo() { el.__dom.checked = was; };
    }

    function activate(root, el, clicked) {
      if (!el) return;
      var t = el.__type, type = el.__props.type;
      if ((t === 'button' && (type === undefined || type === 'submit')) || (t === 'input' && (type === 'submit' || type === 'image'))) {
        var form = host.closest(el, 'form');
        if (form) submit(root, form);
      } else if (t === 'label') {
        var control = labelled(root, el);
        if (control && control !== clicked && !control.contains(clicked)) click(root, control, true);
      } else if (t === 'a') {
        env.reportNote('a link to ' + String(el.__props.href) + ' was followed: the storefront page would navigate');
      }
    }

    function labelled(root, label) {
      var id = label.__props.htmlFor;
      var found = null;
      (function walk(list) {
        for (var i = 0; i < list.length && !found; i++) {
          var n = list[i];
          if (!(n instanceof Element)) continue;
          if (id != null ? n.__props.id === id : /^(input|select|textarea|button)$/.test(n.__type) && n.__props.type !== 'hidden') found = n;
          else walk(n.__children);
        }
      })(id != null ? root.container.__children : label.__children);
      return found;
    }

    function click(root, el, trusted) {
      if (isDisabledControl(el)) return;
      var activator = activationTarget(el);
      var undo = preActivate(activator);
      var event = fire(root, el, 'click', { bubbles: true, cancelable: true, detail: 1, button: 0, buttons: 0,
                                              clientX: 0, clientY: 0, trusted: trusted });
      if (event.defaultPrevented) { if (undo) undo(); } else activate(root, activator, el);
    }

    function submit(root, form) {
      var event = fire(root, form, 'submit', { bubbles: true, cancelable: true });
      if (!event.defaultPrevented) env.reportNote('the form was submitted: the storefront page would navigate (preventDefault() keeps it)');
    }

    function input(root, el, value) {
      if (!el.__dom) return;
      el.__dom.value = String(value);
      el.__dom.dirtyValue = true;
      fire(root, el, 'input', { bubbles: true, cancelable: false, data: String(value), inputType: 'insertText' });
    }

    function change(root, el, value) {
      if (!el.__dom) return;
      if (value !== undefined) { el.__dom.value = String(value); el.__dom.dirtyValue = true; }
      if (el.__type === 'select') fire(root, el, 'input', { bubbles: true, cancelable: false });
      fire(root, el, 'change', { bubbles: true, cancelable: false });
    }

    function key(root, el, type, keyName, trusted) {
      var code = keyName === 'Enter' ? 13 : keyName === 'Escape' ? 27 : keyName && keyName.length === 1 ? keyName.toUpperCase().charCodeAt(0) : 0;
      var event = fire(root, el, type, { bubbles: true, cancelable: true, key: keyName, code: keyName, keyCode: code,
                                          which: code, charCode: 0, trusted: trusted });
      if (type === 'keydown' && keyName === 'Enter' && trusted && !event.defaultPrevented && el.__type === 'input' && isTextField(el)) {
        implicitSubmission(root, el);
      }
    }

    // Enter in a form's text field: its first submit button is clicked, else the form submits.
    function implicitSubmission(root, field) {
      var form = host.closest(field, 'form');
      if (!form) return;
      var button = null;
      (function walk(list) {
        for (var i = 0; i < list.length && !button; i++) {
          var n = list[i];
          if (!(n instanceof Element)) continue;
          var type = n.__props.type;
          if ((n.__type === 'button' && (type === undefined || type === 'submit')) || (n.__type === 'input' && (type === 'submit' || type === 'image'))) button = n;
          else walk(n.__children);
        }
      })(form.__children);
      if (button) click(root, button, true); else submit(root, form);
    }

    function focus(root, el) {
      var focusable = /^(input|select|textarea|button)$/.test(el.__type) || (el.__type === 'a' && el.__props.href != null) ||
        el.__props.tabIndex != null;
      if (!focusable || isDisabledControl(el) || root.focused === el) return;
      var previous = root.focused;
      if (previous) blur(root, previous, el);
      root.focused = el;
      fire(root, el, 'focus', { bubbles: false, cancelable: false, relatedTarget: previous || null });
      fire(root, el, 'focusin', { bubbles: true, cancelable: false, relatedTarget: previous || null });
    }

    function blur(root, el, next) {
      if (root.focused !== el) return;
      root.focused = null;
      fire(root, el, 'blur', { bubbles: false, cancelable: false, relatedTarget: next || null });
      fire(root, el, 'focusout', { bubbles: true, cancelable: false, relatedTarget: next || null });
    }

    // mouseenter/mouseleave: React calls onMouseEnter/onMouseLeave on the element itself.
    function hover(root, el, entering) {
      var name = entering ? 'onMouseEnter' : 'onMouseLeave';
      var event = new NativeEvent(entering ? 'mouseover' : 'mouseout', { bubbles: true, cancelable: true });
      event.target = el;
      setPriority(constants.ContinuousEventPriority);
      try {
        reconciler.batchedUpdates(function () {
          runListeners(root, new SyntheticEvent(name, entering ? 'mouseenter' : 'mouseleave', event, el), phaseQueue([el], name, false));
        });
      } finally {
        setPriority(null);
      }
    }

    return { click: click, submit: submit, input: input, change: change, key: key, focus: focus, blur: blur,
             hover: hover };
  };
})
