// @step {"click": "button"}
// @step {"click": "button"}
function Store() {
  const store = React.useMemo(() => {
    let value = 0; const listeners = new Set();
    return { get: () => value, set: (v) => { value = v; listeners.forEach(l => l()); },
             subscribe: (l) => { listeners.add(l); return () => listeners.delete(l); } };
  }, []);
  const value = React.useSyncExternalStore(store.subscribe, store.get);
  const doubled = React.useSyncExternalStore(store.subscribe, () => store.get() * 2);
  return React.createElement('div', null,
    React.createElement('button', { onClick: () => store.set(store.get() + 1) }, 'inc'),
    React.createElement('span', null, value + ' / ' + doubled));
}
