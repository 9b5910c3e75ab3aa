// @about useState and a click handler
// @step {"click": "button"}
// @step {"click": "button"}
function Counter() {
  const [n, setN] = React.useState(0);
  return React.createElement('div', null,
    React.createElement('button', { onClick: () => setN(n + 1) }, 'Add'),
    React.createElement('span', { id: 'count' }, 'Clicked ', n, ' times'));
}
