// @about numbers as JavaScript prints them, never cut to 6 digits
// @html
function Numbers() {
  return React.createElement('div', { style: { width: 1234567.89, height: 1e21, top: -0, left: 0.1 + 0.2, right: 1e-7, marginTop: 123456789012 }, 'data-big': 1e21, 'data-small': 5e-7, tabIndex: 2 },
    1234567.891, ' ', 1e21, ' ', -0, ' ', 0.1 + 0.2, ' ', 2 ** 53, ' ', NaN);
}
