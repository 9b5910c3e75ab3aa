// @step {"input": "input", "value": "ap"}
// @step {"input": "input", "value": "b"}
function Search() {
  const [text, setText] = React.useState('');
  const deferred = React.useDeferredValue(text);
  const list = React.useMemo(() => ['apple', 'apricot', 'banana'].filter(x => x.indexOf(deferred) === 0), [deferred]);
  return React.createElement('div', null,
    React.createElement('input', { value: text, onChange: (e) => setText(e.target.value) }),
    React.createElement('ul', null, list.map(x => React.createElement('li', { key: x }, x))),
    React.createElement('small', null, text === deferred ? 'fresh' : 'stale'));
}
