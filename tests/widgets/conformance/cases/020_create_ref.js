// @step {"input": "input", "value": "changed by user"}
// @step {"click": "button"}
function Refs() {
  class Input extends React.Component {
    constructor(p) { super(p); this.field = React.createRef(); }
    current() { return this.field.current ? this.field.current.value : '?'; }
    render() { return React.createElement('input', { ref: this.field, defaultValue: 'typed here' }); }
  }
  const I = React.useMemo(() => Input, []);
  const inst = React.useMemo(() => React.createRef(), []);
  const [read, setRead] = React.useState('nothing yet');
  return React.createElement('div', null,
    React.createElement(I, { ref: inst }),
    React.createElement('button', { onClick: () => setRead(inst.current.current()) }, 'read'),
    React.createElement('output', null, read));
}
