// @step {"click": "button"}
function Themed() {
  const Theme = React.createContext('light');
  const User = React.createContext({ name: 'guest' });
  function Label() {
    const theme = React.useContext(Theme);
    const user = React.useContext(User);
    return React.createElement('span', { className: theme }, theme + ':' + user.name);
  }
  const Stable = React.useMemo(() => Label, []);
  const [dark, setDark] = React.useState(false);
  return React.createElement(User.Provider, { value: { name: 'Ada' } },
    React.createElement(Stable, null),
    React.createElement(Theme.Provider, { value: dark ? 'dark' : 'light' },
      React.createElement(Stable, null),
      React.createElement(Theme.Consumer, null, (t) => React.createElement('em', null, 'consumer ' + t))),
    React.createElement('button', { onClick: () => setDark(!dark) }, 'toggle'));
}
