// @step {"input": "input", "value": "a"}
// @step {"input": "input", "value": "Ab"}
// @step {"input": "input", "value": "Abc d"}
function Upper() {
  const [text, setText] = React.useState('');
  return React.createElement('div', null,
    React.createElement('input', { value: text, onChange: (e) => setText(e.target.value.toUpperCase()) }),
    React.createElement('p', null, 'you typed ' + text.length + ' characters'));
}
