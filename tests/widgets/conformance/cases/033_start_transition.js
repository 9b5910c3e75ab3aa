// @step {"input": "input", "value": "shoes"}
function Global() {
  const [q, setQ] = React.useState('');
  const [results, setResults] = React.useState('none');
  return React.createElement('div', null,
    React.createElement('input', { value: q, onChange: (e) => { setQ(e.target.value); React.startTransition(() => setResults('results for ' + e.target.value)); } }),
    React.createElement('p', null, results));
}
