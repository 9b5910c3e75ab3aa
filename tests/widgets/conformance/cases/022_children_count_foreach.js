// @about Children.count/forEach with null, false, nested arrays
function Count() {
  function Counter(props) {
    const seen = [];
    React.Children.forEach(props.children, (c, i) => seen.push(i + ':' + (c === null ? 'null' : typeof c === 'object' ? c.type : String(c))));
    return React.createElement('p', null, 'count ' + React.Children.count(props.children) + ' | ' + seen.join(' '));
  }
  return React.createElement(Counter, null, null, false, 'text', 7, [React.createElement('i', { key: 'a' }), [React.createElement('u', { key: 'b' }), undefined]], true);
}
