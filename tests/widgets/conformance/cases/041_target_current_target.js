// @step {"click": "#first"}
// @step {"click": "#bold"}
function Targets() {
  const [info, setInfo] = React.useState('');
  return React.createElement('ul', { id: 'list', onClick: (e) => setInfo('target=' + e.target.id + ' current=' + e.currentTarget.id + ' type=' + e.type + ' bubbles=' + e.bubbles) },
    React.createElement('li', { id: 'first' }, 'one'),
    React.createElement('li', { id: 'second' }, React.createElement('b', { id: 'bold' }, 'two')),
    React.createElement('li', { id: 'out' }, info));
}
