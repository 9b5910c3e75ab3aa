// @step {"click": "button"}
// @step {"click": "span"}
function Capture() {
  const [log, setLog] = React.useState([]);
  const add = (s) => () => setLog(l => l.concat([s]));
  return React.createElement('div', { onClickCapture: add('div capture'), onClick: add('div bubble') },
    React.createElement('p', { onClickCapture: add('p capture'), onClick: add('p bubble') },
      React.createElement('button', { onClickCapture: add('button capture'), onClick: add('button bubble') }, 'go')),
    React.createElement('span', { onClickCapture: (e) => { e.stopPropagation(); setLog(l => l.concat(['span stopped in capture'])); }, onClick: add('span bubble (never)') }, 'x'),
    React.createElement('pre', null, log.join('\n')));
}
