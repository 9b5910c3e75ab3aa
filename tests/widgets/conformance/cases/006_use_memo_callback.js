// @step {"click": "#o"}
// @step {"click": "#n"}
function Memo() {
  const [n, setN] = React.useState(1);
  const [other, setOther] = React.useState(0);
  const doubled = React.useMemo(() => { console.log('compute ' + n); return n * 2; }, [n]);
  const cb = React.useCallback(() => n, [n]);
  const first = React.useRef(cb);
  return React.createElement('div', null,
    React.createElement('button', { id: 'n', onClick: () => setN(n + 1) }, 'n'),
    React.createElement('button', { id: 'o', onClick: () => setOther(other + 1) }, 'other'),
    React.createElement('p', null, 'doubled ' + doubled + ' other ' + other + ' same callback ' + (first.current === cb)));
}
