// @step {"click": "button"}
function Guarded() {
  class Boundary extends React.Component {
    constructor(p) { super(p); this.state = { error: null }; }
    static getDerivedStateFromError(error) { return { error: error }; }
    componentDidCatch(error) { console.log('caught ' + error.message); }
    render() { return this.state.error ? React.createElement('p', { role: 'alert' }, 'inner fallback: ' + this.state.error.message) : this.props.children; }
  }
  function Bomb(props) { if (props.explode) throw new Error('kaboom'); return React.createElement('span', null, 'fine'); }
  const B = React.useMemo(() => Boundary, []);
  const Bo = React.useMemo(() => Bomb, []);
  const [explode, setExplode] = React.useState(false);
  return React.createElement('div', null,
    React.createElement(B, null, React.createElement(Bo, { explode: explode })),
    React.createElement('button', { onClick: () => setExplode(true) }, 'explode'));
}
