// @step {"click": "button"}
// @step {"input": "input", "value": "Grace"}
// @step {"click": "button"}
function Forward() {
  const Input = React.useMemo(() => React.forwardRef((props, ref) => React.createElement('input', Object.assign({ ref: ref }, props))), []);
  const ref = React.useRef(null);
  const [info, setInfo] = React.useState('');
  return React.createElement('div', null,
    React.createElement(Input, { ref: ref, placeholder: 'name', defaultValue: 'Ada' }),
    React.createElement('button', { onClick: () => setInfo(ref.current.tagName + ' ' + ref.current.value) }, 'inspect'),
    React.createElement('p', null, info));
}
