// @html
function Raw() {
  return React.createElement('section', null,
    React.createElement('div', { dangerouslySetInnerHTML: { __html: '<b>bold</b> &amp; <i>it</i>' } }),
    React.createElement('p', null, '<b>escaped</b> & "quoted"'),
    React.createElement('a', { href: 'javascript:void(0)', title: 'a"b<c' }, 'x'));
}
