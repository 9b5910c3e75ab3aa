// @step {"keydown": "input", "key": "a"}
// @step {"keydown": "input", "key": "Enter"}
function Keys() {
  const [keys, setKeys] = React.useState('');
  return React.createElement('div', null,
    React.createElement('input', { onKeyDown: (e) => setKeys(k => k + '[' + e.key + ']'), onKeyUp: () => {} }),
    React.createElement('p', null, keys));
}
