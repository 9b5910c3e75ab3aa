// @step {"advance": 99}
// @step {"advance": 1}
// @step {"advance": 250}
// @step {"unmount": true}
// @step {"advance": 1000}
function Ticker() {
  const [n, setN] = React.useState(0);
  React.useEffect(() => { const id = setInterval(() => setN(x => x + 1), 100); return () => clearInterval(id); }, []);
  const [late, setLate] = React.useState('');
  React.useEffect(() => { const t = setTimeout(() => setLate('timeout fired'), 250); return () => clearTimeout(t); }, []);
  return React.createElement('p', null, 'ticks ' + n + ' ' + late);
}
