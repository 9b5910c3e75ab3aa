// @step {"click": "input@2"}
// @step {"click": "#f2"}
function Sizes() {
  const [size, setSize] = React.useState('m');
  return React.createElement('div', null,
    ['s', 'm', 'l'].map(s => React.createElement('label', { key: s },
      React.createElement('input', { type: 'radio', name: 'size', value: s, checked: size === s, onChange: (e) => setSize(e.target.value) }), s)),
    React.createElement('input', { type: 'radio', name: 'free', id: 'f1', defaultChecked: true }),
    React.createElement('input', { type: 'radio', name: 'free', id: 'f2' }),
    React.createElement('p', null, 'size ' + size));
}
