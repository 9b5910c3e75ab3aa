// @step {"click": "#b"}
// @step {"click": "#a"}
// @step {"unmount": true}
function Effects() {
  const [a, setA] = React.useState(0);
  const [b, setB] = React.useState(0);
  React.useEffect(() => { console.log('a effect ' + a); return () => console.log('a cleanup ' + a); }, [a]);
  React.useEffect(() => { console.log('every ' + a + b); return () => console.log('every cleanup ' + a + b); });
  React.useEffect(() => { console.log('mount'); return () => console.log('unmount'); }, []);
  return React.createElement('div', null,
    React.createElement('button', { id: 'a', onClick: () => setA(a + 1) }, 'a'),
    React.createElement('button', { id: 'b', onClick: () => setB(b + 1) }, 'b'));
}
