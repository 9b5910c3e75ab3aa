// @step {"input": "textarea", "value": "first line\nsecond"}
// @step {"input": "#free", "value": "edited"}
function Notes() {
  const [text, setText] = React.useState('first line');
  return React.createElement('div', null,
    React.createElement('textarea', { value: text, onChange: (e) => setText(e.target.value) }),
    React.createElement('textarea', { id: 'free', defaultValue: 'uncontrolled' }),
    React.createElement('p', null, text.split('\n').length + ' lines'));
}
