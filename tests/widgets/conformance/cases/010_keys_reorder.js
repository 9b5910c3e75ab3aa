// @about keyed rows move with their DOM state
// @step {"input": "input@0", "value": "APPLE!"}
// @step {"click": "#rev"}
// @step {"click": "#drop"}
function Reorder() {
  const [items, setItems] = React.useState(['apple', 'pear', 'plum']);
  return React.createElement('div', null,
    React.createElement('button', { id: 'rev', onClick: () => setItems(items.slice().reverse()) }, 'reverse'),
    React.createElement('button', { id: 'drop', onClick: () => setItems(items.slice(1)) }, 'drop first'),
    React.createElement('ul', null, items.map(it => React.createElement('li', { key: it },
      React.createElement('input', { defaultValue: it }), it))));
}
