// @about useLayoutEffect runs before passive effects, children first
// @step {"click": "button"}
function Outer() {
  function Child(props) {
    React.useLayoutEffect(() => { console.log('child layout ' + props.n); return () => console.log('child layout cleanup ' + props.n); });
    React.useEffect(() => { console.log('child passive ' + props.n); return () => console.log('child passive cleanup ' + props.n); });
    console.log('child render ' + props.n);
    return React.createElement('i', null, props.n);
  }
  const [n, setN] = React.useState(0);
  React.useLayoutEffect(() => { console.log('parent layout ' + n); });
  React.useEffect(() => { console.log('parent passive ' + n); });
  console.log('parent render ' + n);
  return React.createElement('div', null, React.createElement(Child, { n: n }),
    React.createElement('button', { onClick: () => setN(n + 1) }, 'next'));
}
