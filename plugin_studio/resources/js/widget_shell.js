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
    compileStorefront: compileStorefront,
    ErrorBoundary: ErrorBoundary,
    Shell: Shell,
    alertBox: alertBox,
    // Text the storefront shows instead of the widget (PLATFORM.md §7.1).
    failedToLoad: function (message) { return 'Failed to load plugin widget: Invalid widget code: ' + message; },
    notFound: 'Widget not found',
  };
})
