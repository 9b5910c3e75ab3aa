// @step {"advance": 1000}
function Lazy() {
  const Heavy = React.useMemo(() => React.lazy(() => Promise.resolve({ default: function Heavy() { return React.createElement('b', null, 'heavy loaded'); } })), []);
  return React.createElement('div', null,
    React.createElement(React.Suspense, { fallback: React.createElement('i', null, 'loading…') },
      React.createElement(Heavy, null)));
}
