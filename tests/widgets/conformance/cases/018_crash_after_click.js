// @step {"click": "button"}
// @step {"click": "button"}
function Later() {
  const [n, setN] = React.useState(0);
  if (n > 1) throw new Error('too many clicks: ' + n);
  return React.createElement('button', { onClick: () => setN(n + 1) }, 'clicks ' + n);
}
