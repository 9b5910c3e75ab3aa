// @step {"click": "button"}
function Ids() {
  const id = React.useId();
  const [rows, setRows] = React.useState(2);
  function Field(props) {
    const fid = React.useId();
    return React.createElement('label', { htmlFor: fid }, props.label, React.createElement('input', { id: fid }));
  }
  return React.createElement('form', { 'aria-labelledby': id },
    React.createElement('h3', { id: id }, 'Form'),
    Array.from({ length: rows }, (_, i) => React.createElement(Field, { key: i, label: 'f' + i })),
    React.createElement('button', { type: 'button', onClick: () => setRows(rows + 1) }, 'more'));
}
