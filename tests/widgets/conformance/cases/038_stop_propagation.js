// @step {"click": "#stop"}
// @step {"click": "#go"}
function Stop() {
  const [log, setLog] = React.useState('');
  return React.createElement('div', { onClick: () => setLog(l => l + ' outer') },
    React.createElement('button', { id: 'stop', onClick: (e) => { e.stopPropagation(); setLog(l => l + ' stopped' + (e.isPropagationStopped() ? '!' : '?')); } }, 'stop'),
    React.createElement('button', { id: 'go', onClick: () => setLog(l => l + ' inner') }, 'go'),
    React.createElement('p', null, 'log:' + log));
}
