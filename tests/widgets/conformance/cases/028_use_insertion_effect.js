// @step {"click": "button"}
// @step {"unmount": true}
function Order() {
  React.useInsertionEffect(() => { console.log('insertion'); return () => console.log('insertion cleanup'); });
  React.useLayoutEffect(() => { console.log('layout'); return () => console.log('layout cleanup'); });
  React.useEffect(() => { console.log('passive'); return () => console.log('passive cleanup'); });
  const [n, setN] = React.useState(0);
  return React.createElement('button', { onClick: () => setN(n + 1) }, 'n ' + n);
}
