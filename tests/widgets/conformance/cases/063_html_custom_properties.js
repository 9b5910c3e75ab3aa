// @about custom properties keep their names and numbers
// @html
function Custom() {
  return React.createElement('div', { style: { '--accent': 'red', '--size': 12, '--gap': '4px', color: 'var(--accent)', float: 'left', cssFloat: 'right' } },
    React.createElement('span', { style: { '--empty': '', backgroundImage: 'url("a b.png")', content: '"x"' } }, 'custom'));
}
