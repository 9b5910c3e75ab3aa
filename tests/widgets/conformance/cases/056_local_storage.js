// @step {"click": "button"}
// @step {"click": "button"}
function Remember() {
  const [n, setN] = React.useState(() => Number(localStorage.getItem('visits') || 0));
  React.useEffect(() => { localStorage.setItem('visits', String(n)); sessionStorage.setItem('last', 'n' + n); }, [n]);
  return React.createElement('button', { onClick: () => setN(n + 1) }, 'stored ' + localStorage.getItem('visits') + ' / state ' + n + ' / ' + sessionStorage.getItem('last'));
}
