// @step {"advance": 1000}
// @step {"advance": 2500}
function Countdown() {
  const [left, setLeft] = React.useState(3);
  React.useEffect(() => {
    if (left === 0) return;
    const t = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(t);
  }, [left]);
  return React.createElement('p', null, left === 0 ? 'done' : 'left ' + left);
}
