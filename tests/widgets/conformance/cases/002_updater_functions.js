// @step {"click": "button"}
// @step {"click": "button@1"}
function Twice() {
  const [n, setN] = React.useState(5);
  return React.createElement('div', null,
    React.createElement('button', { onClick: () => { setN(x => x + 1); setN(x => x + 1); } }, 'add two'),
    React.createElement('button', { onClick: () => { setN(n + 1); setN(n + 1); } }, 'add one twice'),
    React.createElement('p', null, 'n=' + n));
}
