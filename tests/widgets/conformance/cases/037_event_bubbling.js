// @step {"click": "span"}
// @step {"click": "section"}
function Bubbles() {
  const [log, setLog] = React.useState([]);
  const note = (what) => (e) => { const text = what + ':' + e.type + ':' + e.currentTarget.tagName + '<' + e.target.tagName; setLog(l => l.concat([text])); };
  return React.createElement('div', { onClick: note('div') },
    React.createElement('section', { onClick: note('section') },
      React.createElement('button', { onClick: note('button') }, React.createElement('span', null, 'inner'))),
    React.createElement('ol', null, log.map((l, i) => React.createElement('li', { key: i }, l))));
}
