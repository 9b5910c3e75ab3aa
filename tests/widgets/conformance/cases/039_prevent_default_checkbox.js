// @step {"click": "#free"}
// @step {"click": "#blocked"}
// @step {"click": "#ctl"}
// @step {"click": "a"}
function Prevent() {
  const [checked, setChecked] = React.useState(false);
  const [clicks, setClicks] = React.useState(0);
  return React.createElement('div', null,
    React.createElement('input', { type: 'checkbox', id: 'free', onClick: () => setClicks(c => c + 1) }),
    React.createElement('input', { type: 'checkbox', id: 'blocked', onClick: (e) => { e.preventDefault(); setClicks(c => c + 1); } }),
    React.createElement('input', { type: 'checkbox', id: 'ctl', checked: checked, onChange: (e) => setChecked(e.target.checked) }),
    React.createElement('a', { href: '#top', onClick: (e) => { e.preventDefault(); setClicks(c => c + 100); } }, 'link'),
    React.createElement('p', null, 'clicks ' + clicks + ' controlled ' + checked));
}
