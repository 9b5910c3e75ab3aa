// @about StrictMode in a development build: effects mounted twice
// @step {"click": "button"}
function Strict() {
  function Inner() {
    const [n, setN] = React.useState(0);
    React.useEffect(() => { console.log('effect'); return () => console.log('cleanup'); }, []);
    return React.createElement('button', { onClick: () => setN(n + 1) }, 'strict ' + n);
  }
  const I = React.useMemo(() => Inner, []);
  return React.createElement(React.StrictMode, null, React.createElement(I, null));
}
