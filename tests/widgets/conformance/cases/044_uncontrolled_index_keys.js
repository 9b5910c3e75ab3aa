// @about the classic index-key bug: typed notes stay by position while labels shift
// @step {"input": "input@0", "value": "note A"}
// @step {"input": "input@1", "value": "note B"}
// @step {"click": "button"}
function Todos() {
  const [todos, setTodos] = React.useState(['milk', 'eggs', 'bread']);
  return React.createElement('div', null,
    todos.map((t, i) => React.createElement('div', { key: i, className: 'row' },
      React.createElement('span', null, t),
      React.createElement('input', { placeholder: 'note for ' + t }))),
    React.createElement('button', { onClick: () => setTodos(todos.slice(1)) }, 'remove first'));
}
