// @step {"click": "button"}
function Profiled() {
  const [n, setN] = React.useState(0);
  const onRender = (id, phase) => console.log('profiler ' + id + ' ' + phase);
  return React.createElement(React.Profiler, { id: 'widget', onRender: onRender },
    React.createElement('button', { onClick: () => setN(n + 1) }, 'n ' + n));
}
