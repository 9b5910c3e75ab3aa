// @step {"click": ".a"}
// @step {"click": ".a"}
// @step {"click": "a"}
// @step {"click": ".b"}
function Swap() {
  function Counter(props) {
    const [n, setN] = React.useState(0);
    return React.createElement('button', { className: props.name, onClick: () => setN(n + 1) }, props.name + ' ' + n);
  }
  const C = React.useMemo(() => Counter, []);
  const [flip, setFlip] = React.useState(false);
  const a = React.createElement(C, { key: 'a', name: 'a' });
  const b = React.createElement(C, { key: 'b', name: 'b' });
  return React.createElement('div', null, flip ? [b, a] : [a, b],
    React.createElement('a', { onClick: () => setFlip(!flip) }, 'flip'));
}
