// @step {"click": "button"}
// @step {"click": "button"}
function Derived() {
  const [items, setItems] = React.useState([1, 2, 3]);
  const [prevLength, setPrevLength] = React.useState(items.length);
  const [changes, setChanges] = React.useState(0);
  if (items.length !== prevLength) { setPrevLength(items.length); setChanges(changes + 1); }
  return React.createElement('div', null,
    React.createElement('button', { onClick: () => setItems(items.concat([items.length + 1])) }, 'add'),
    React.createElement('span', null, items.join(',') + ' changes ' + changes));
}
