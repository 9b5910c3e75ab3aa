// @step {"advance": 100}
// @step {"advance": 300}
// @step {"advance": 1000}
// @step {"click": "button"}
function LazyTimer() {
  const Slow = React.useMemo(() => React.lazy(() => new Promise(resolve => setTimeout(() => resolve({ default: function Slow(p) { return React.createElement('b', null, 'slow ' + p.n); } }), 300))), []);
  const [n, setN] = React.useState(1);
  return React.createElement('div', null,
    React.createElement('span', null, 'before'),
    React.createElement(React.Suspense, { fallback: React.createElement('i', null, 'waiting') }, React.createElement(Slow, { n: n })),
    React.createElement('button', { onClick: () => setN(n + 1) }, 'n'));
}
