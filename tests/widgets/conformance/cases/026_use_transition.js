// @step {"click": "button"}
function Tabs() {
  const [tab, setTab] = React.useState('a');
  const [isPending, startTransition] = React.useTransition();
  console.log('render ' + tab + ' pending ' + isPending);
  return React.createElement('div', null,
    React.createElement('button', { onClick: () => startTransition(() => setTab('b')) }, 'to b'),
    React.createElement('p', null, 'tab ' + tab + (isPending ? ' (pending)' : '')));
}
