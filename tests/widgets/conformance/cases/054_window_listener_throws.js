// @about a throwing listener doesn't stop the others
// @step {"window": "ping"}
// @step {"window": "ping"}
function Fragile() {
  const [n, setN] = React.useState(0);
  React.useEffect(() => {
    const bad = () => { throw new Error('listener failed'); };
    const good = () => setN(x => x + 1);
    window.addEventListener('ping', bad);
    window.addEventListener('ping', good);
    return () => { window.removeEventListener('ping', bad); window.removeEventListener('ping', good); };
  }, []);
  return React.createElement('p', null, 'pings ' + n);
}
