// @step {"click": "button"}
// @step {"click": "button"}
function Memo2() {
  const Row = React.useMemo(() => React.memo(function Row(props) { console.log('row ' + props.label); return React.createElement('li', null, props.label); }), []);
  const [n, setN] = React.useState(0);
  return React.createElement('div', null,
    React.createElement('ul', null, React.createElement(Row, { label: 'a' }), React.createElement(Row, { label: 'b' + (n > 1 ? '!' : '') })),
    React.createElement('button', { onClick: () => setN(n + 1) }, 'n ' + n));
}
