// @about className arrays and other props as react-dom writes them
// @html
function Classes() {
  return React.createElement('div', { className: ['card', 'wide'] },
    React.createElement('span', { className: '' }, 'empty'),
    React.createElement('span', { className: null }, 'null'),
    React.createElement('span', { className: 0 }, 'zero'),
    React.createElement('span', { className: ['a', ['b', 'c']] }, 'nested'),
    React.createElement('label', { htmlFor: 'x', tabIndex: -1 }, 'for'));
}
