
function Cloner() {
  const base = React.createElement('a', { href: '#x', className: 'link', title: 'base' }, 'base text');
  const ref = React.createRef();
  const copies = [
    React.cloneElement(base, { className: 'link big', key: 'one' }),
    React.cloneElement(base, { title: undefined, key: 'two' }, 'new text', React.createElement('b', null, '!')),
    React.cloneElement(base, { ref: ref, key: 'three', 'data-n': 3 }),
  ];
  const [tag, setTag] = React.useState('');
  React.useEffect(() => setTag(ref.current ? ref.current.tagName : 'none'), []);
  return React.createElement('nav', null, copies, React.createElement('span', null, 'ref: ' + tag));
}
