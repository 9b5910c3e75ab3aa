// @step {"click": "button"}
// @step {"click": "button"}
function Cond() {
  const [on, setOn] = React.useState(false);
  return React.createElement('div', null,
    null, false, true, undefined, '', 0,
    on && React.createElement('p', null, 'shown'),
    on ? null : React.createElement('p', null, 'hidden branch'),
    [null, on && 'yes', !on && 'no'],
    React.createElement('button', { onClick: () => setOn(!on) }, 'toggle'));
}
