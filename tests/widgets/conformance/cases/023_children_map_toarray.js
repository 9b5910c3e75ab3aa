
function Mapper() {
  function List(props) {
    const mapped = React.Children.map(props.children, (c, i) => React.createElement('li', { 'data-i': i }, c));
    const arr = React.Children.toArray(props.children);
    return React.createElement('div', null,
      React.createElement('ul', null, mapped),
      React.createElement('p', null, 'toArray ' + arr.length + ' keys ' + arr.map(c => c && c.key).join(',')));
  }
  return React.createElement(List, null, 'a', null, [React.createElement('b', { key: 'k1' }, 'B'), [false, React.createElement('i', { key: 'k2' }, 'I')]], 0);
}
