// @step {"click": "#bump"}
// @step {"click": "#read"}
function Parent() {
  const Fancy = React.useMemo(() => React.forwardRef(function Fancy(props, ref) {
    const [count, setCount] = React.useState(0);
    React.useImperativeHandle(ref, () => ({ bump: () => setCount(c => c + 10), value: () => count }), [count]);
    return React.createElement('span', null, 'fancy ' + count);
  }), []);
  const handle = React.useRef(null);
  const [seen, setSeen] = React.useState(-1);
  return React.createElement('div', null,
    React.createElement(Fancy, { ref: handle }),
    React.createElement('button', { id: 'bump', onClick: () => handle.current.bump() }, 'bump'),
    React.createElement('button', { id: 'read', onClick: () => setSeen(handle.current.value()) }, 'read'),
    React.createElement('i', null, 'seen ' + seen));
}
