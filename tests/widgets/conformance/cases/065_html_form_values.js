// @html
function Form() {
  return React.createElement('form', null,
    React.createElement('input', { value: 'v', readOnly: true, maxLength: 10, autoComplete: 'off' }),
    React.createElement('input', { type: 'checkbox', checked: true, readOnly: true }),
    React.createElement('input', { defaultValue: 'dv', defaultChecked: false }),
    React.createElement('select', { value: 'b', onChange: () => {} }, React.createElement('option', { value: 'a' }, 'A'), React.createElement('option', { value: 'b' }, 'B')),
    React.createElement('textarea', { defaultValue: 'text\nmore' }));
}
