// @about onFocus/onBlur bubble in React 17+
// @step {"focus": "input@0"}
// @step {"focus": "input@1"}
// @step {"blur": "input@1"}
function Focus() {
  const [log, setLog] = React.useState([]);
  const add = (s) => (e) => setLog(l => l.concat([s + ':' + e.type + ':' + e.target.name]));
  return React.createElement('form', { onFocus: add('form focus'), onBlur: add('form blur') },
    React.createElement('input', { name: 'one', onFocus: add('one focus'), onBlur: add('one blur') }),
    React.createElement('input', { name: 'two' }),
    React.createElement('ol', null, log.map((l, i) => React.createElement('li', { key: i }, l))));
}
