// @about 50 effect updates in a row settle (React's limit is on nested updates, not on effects)
function Chain() {
  const [n, setN] = React.useState(0);
  React.useEffect(() => { if (n < 50) setN(n + 1); }, [n]);
  return React.createElement('p', null, 'settled at ' + n);
}
