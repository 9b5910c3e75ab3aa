/*
 * What the storefront puts around a plugin widget (PLATFORM.md §7.1, the platform's
 * PluginWidgetRenderer), written from its behaviour: the compile step, the error boundary and its
 * text. The preview (QuickJS) and the conformance generator (Node.js) both evaluate this file as a
 * function of React, so they render the same shell around the widget.
 *
 *   var shell = (this file)(React);
 *   var Widget = shell.compileStorefront(code);          // may throw, as the storefront's compile does
 *   React.createElement(shell.Shell, {widget: Widget, config: {}, slotData: {}})
 */
(function (React) {
  'use strict';
  var h = React.createElement;

  // The storefront trims the code, strips one leading `export default`, wraps code that starts with
  // `function` in parentheses, and returns it from a strict function whose only parameter is React.
  // Nothing else is in scope: a comment before the function makes `return` return undefined (ASI).
  function storefrontBody(code) {
    var clean = String(code).trim().replace(/^export\s+default\s+/, '');
    if (clean.startsWith('function')) clean = '(' + clean + ')';
    return "\n        'use strict';\n        return " + clean + ";\n      ";
  }

  function compileStorefront(code) {
    return new Function('React', storefrontBody(code))(React);
  }

  // What React renders as a component: a function or class, or the element types React's memo,
  // forwardRef and lazy make (their $$typeof read from React itself). A string names a host
  // element, not a widget; any other value makes React throw "Element type is invalid".
  var componentTypes = [React.memo(function () { return null; }), React.forwardRef(function () { return null; }),
                        React.lazy(function () { return new Promise(function () {}); })]
    .map(function (type) { return type.$$typeof; });

  function isComponent(value) {
    if (typeof value === 'function') return true;
    return value !== null && typeof value === 'object' && componentTypes.indexOf(value.$$typeof) >= 0;
  }

  // The component a compiled candidate gave, or null: a storefront compile's value itself; a
  // module's choices (an array, best first: its default export, module.exports, its top-level
  // declarations) give the first that is a component.
  function pickComponent(mode, value) {
    var choices = mode === 'module' ? value : [value];
    for (var i = 0; i < choices.length; i++) if (isComponent(choices[i])) return choices[i];
    return null;
  }

  // The storefront's alert (a role="alert" box); its look here is ours, its text is the platform's.
  function alertBox(children) {
    return h('div', { role: 'alert', style: {
      border: '1px solid #f87171', borderRadius: '8px', padding: '12px 16px', background: '#fef2f2', color: '#991b1b',
    } }, h('div', { style: { fontSize: '14px' } }, children));
  }

  class ErrorBoundary extends React.Component {
    constructor(props) {
      super(props);
      this.state = { hasError: false, error: null };
    }

    static getDerivedStateFromError(error) {
      return { hasError: true, error: error };
    }

    componentDidCatch(error, info) {
      if (typeof this.props.onCrash === 'function') this.props.onCrash(error, info);
    }

    render() {
      if (this.state.hasError) {
        var error = this.state.error;
        return alertBox(['Widget crashed: ', error === null || error === undefined ? undefined : error.message]);
      }
      return this.props.children;
    }
  }

  // <ErrorBoundary><Widget config slotData/></ErrorBoundary>, as the storefront renders a widget slot.
  function Shell(props) {
    return h(ErrorBoundary, { onCrash: props.onCrash }, h(props.widget, { config: props.config, slotData: props.slotData }));
  }

  return {
    storefrontBody: storefrontBody,
    isComponent: isComponent,
    pickComponent: pickComponent,
    compileStorefront: compileStorefront,
    ErrorBoundary: ErrorBoundary,
    Shell: Shell,
    alertBox: alertBox,
    // Text the storefront shows instead of the widget (PLATFORM.md §7.1).
    failedToLoad: function (message) { return 'Failed to load plugin widget: Invalid widget code: ' + message; },
    notFound: 'Widget not found',
  };
})
