// @step {"input": "input", "value": "a@b.c"}
// @step {"click": "span"}
// @step {"click": "#plain"}
function Newsletter() {
  const [email, setEmail] = React.useState('');
  const [sent, setSent] = React.useState([]);
  return React.createElement('form', { onSubmit: (e) => { e.preventDefault(); setSent(sent.concat([email])); setEmail(''); } },
    React.createElement('input', { type: 'email', value: email, onChange: (e) => setEmail(e.target.value) }),
    React.createElement('button', { type: 'submit' }, React.createElement('span', null, 'Subscribe')),
    React.createElement('button', { type: 'button', id: 'plain' }, 'no submit'),
    React.createElement('ul', null, sent.map((s, i) => React.createElement('li', { key: i }, s))));
}
