// @step {"click": "#a"}
// @step {"click": "#b"}
// @step {"click": "#c"}
function Checks() {
  const [items, setItems] = React.useState({ a: true, b: false });
  const toggle = (k) => (e) => setItems(Object.assign({}, items, { [k]: e.target.checked }));
  return React.createElement('fieldset', null,
    React.createElement('input', { type: 'checkbox', id: 'a', checked: items.a, onChange: toggle('a') }),
    React.createElement('input', { type: 'checkbox', id: 'b', checked: items.b, onChange: toggle('b') }),
    React.createElement('input', { type: 'checkbox', id: 'c', defaultChecked: true }),
    React.createElement('span', null, JSON.stringify(items)));
}
