// @step {"click": "button"}
function Frag() {
  const [n, setN] = React.useState(2);
  return React.createElement(React.Fragment, null,
    React.createElement('h4', null, 'head'),
    [React.createElement('b', { key: 'x' }, 'x'), [React.createElement('i', { key: 'y' }, 'y'), 'text']],
    React.createElement(React.Fragment, null, Array.from({ length: n }, (_, i) => React.createElement(React.Fragment, { key: i }, React.createElement('dt', null, 't' + i), React.createElement('dd', null, 'd' + i)))),
    React.createElement('button', { onClick: () => setN(n + 1) }, 'more'));
}
