// @about a controlled input shows its value again when the handler refuses the change
// @step {"input": "input", "value": "123"}
// @step {"input": "input", "value": "123x"}
// @step {"input": "#readonly-ish", "value": "changed"}
function Digits() {
  const [text, setText] = React.useState('12');
  return React.createElement('div', null,
    React.createElement('input', { value: text, onChange: (e) => { if (/^\d*$/.test(e.target.value)) setText(e.target.value); } }),
    React.createElement('input', { value: 'fixed', id: 'readonly-ish', onChange: () => {} }),
    React.createElement('p', null, 'value ' + text));
}
