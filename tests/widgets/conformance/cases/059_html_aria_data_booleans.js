// @html
function Aria() {
  return React.createElement('div', { 'aria-hidden': true, 'aria-expanded': false, 'data-active': true, 'data-off': false,
                                      'data-n': 0, 'data-empty': '', role: 'region', hidden: false, draggable: true,
                                      spellCheck: false, contentEditable: 'true', suppressContentEditableWarning: true },
    React.createElement('button', { disabled: true, 'aria-pressed': 'mixed' }, 'b'),
    React.createElement('details', { open: true }, React.createElement('summary', null, 's')),
    React.createElement('video', { muted: true, autoPlay: true, playsInline: true, controls: false }));
}
