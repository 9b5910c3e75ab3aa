// @step {"click": "#add"}
// @step {"click": "#add"}
// @step {"click": "#clear"}
function Cart() {
  const [state, dispatch] = React.useReducer(function (s, a) {
    switch (a.type) {
      case 'add': return { items: s.items.concat([a.item]), total: s.total + a.price };
      case 'clear': return { items: [], total: 0 };
      default: return s;
    }
  }, { items: [], total: 0 });
  return React.createElement('section', null,
    React.createElement('button', { id: 'add', onClick: () => dispatch({ type: 'add', item: 'Shoe', price: 40 }) }, 'Add shoe'),
    React.createElement('button', { id: 'clear', onClick: () => dispatch({ type: 'clear' }) }, 'Clear'),
    React.createElement('ul', null, state.items.map((it, i) => React.createElement('li', { key: i }, it))),
    React.createElement('strong', null, 'Total: ' + state.total));
}
