// @step {"click": "button"}
function Renders() {
  const renders = React.useRef(0);
  renders.current += 1;
  const [n, setN] = React.useState(0);
  const box = React.useRef(null);
  const [tag, setTag] = React.useState('?');
  React.useEffect(() => { setTag(box.current ? box.current.tagName : 'none'); }, []);
  return React.createElement('div', { ref: box },
    React.createElement('button', { onClick: () => setN(n + 1) }, 'render again'),
    React.createElement('span', null, 'renders ' + renders.current + ' tag ' + tag));
}
