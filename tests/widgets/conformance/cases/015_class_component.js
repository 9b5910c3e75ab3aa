// @about class components, defaultProps, setState callback, lifecycles
// @step {"click": "button"}
// @step {"click": "button"}
// @step {"click": "a"}
function Wrapper() {
  class Counter extends React.Component {
    constructor(props) { super(props); this.state = { n: props.start }; this.add = this.add.bind(this); }
    componentDidMount() { console.log('did mount ' + this.state.n); }
    componentDidUpdate(prevProps, prevState) { console.log('did update ' + prevState.n + ' -> ' + this.state.n); }
    componentWillUnmount() { console.log('will unmount'); }
    add() { this.setState(s => ({ n: s.n + 1 }), () => console.log('callback ' + this.state.n)); }
    render() { return React.createElement('button', { onClick: this.add }, 'n=' + this.state.n + ' ' + this.props.label); }
  }
  Counter.defaultProps = { label: 'default label' };
  const Stable = React.useMemo(() => Counter, []);
  const [show, setShow] = React.useState(true);
  return React.createElement('div', null,
    show && React.createElement(Stable, { start: 3 }),
    React.createElement('a', { onClick: () => setShow(!show) }, 'toggle'));
}
