// @about Children.only: React's own error in the boundary
// @step {"click": "button"}
function Only() {
  function Single(props) { const child = React.Children.only(props.children); return React.cloneElement(child, { className: 'only' }); }
  const S = React.useMemo(() => Single, []);
  const [two, setTwo] = React.useState(false);
  return React.createElement('div', null,
    two ? React.createElement(S, null, React.createElement('b', null, 'a'), React.createElement('b', null, 'b'))
        : React.createElement(S, null, React.createElement('b', null, 'one')),
    React.createElement('button', { onClick: () => setTwo(true) }, 'two'));
}
