// @step {"click": "label"}
// @step {"click": "#for"}
function Labels() {
  const [n, setN] = React.useState(0);
  return React.createElement('div', null,
    React.createElement('label', null, React.createElement('input', { type: 'checkbox', onChange: () => setN(c => c + 1) }), ' wrapped'),
    React.createElement('label', { htmlFor: 'target', id: 'for' }, 'by id'),
    React.createElement('input', { type: 'checkbox', id: 'target', onChange: () => setN(c => c + 10) }),
    React.createElement('p', null, 'changes ' + n));
}
