// @step {"change": "select", "value": "c"}
// @step {"change": "#free", "value": "x"}
function Pick() {
  const [v, setV] = React.useState('b');
  return React.createElement('div', null,
    React.createElement('select', { value: v, onChange: (e) => setV(e.target.value) },
      React.createElement('option', { value: 'a' }, 'Alpha'),
      React.createElement('option', { value: 'b' }, 'Beta'),
      React.createElement('option', { value: 'c' }, 'Gamma')),
    React.createElement('select', { id: 'free', defaultValue: 'y' },
      React.createElement('option', { value: 'x' }, 'X'), React.createElement('option', { value: 'y' }, 'Y')),
    React.createElement('p', null, 'picked ' + v));
}
