// @about SVG props become SVG attribute names (stroke-width, xlink:href…)
// @html
function Icon() {
  return React.createElement('svg', { viewBox: '0 0 24 24', width: 24, height: 24, xmlns: 'http://www.w3.org/2000/svg' },
    React.createElement('defs', null, React.createElement('linearGradient', { id: 'g', gradientUnits: 'userSpaceOnUse' },
      React.createElement('stop', { offset: '0%', stopColor: '#fff', stopOpacity: 0.5 }))),
    React.createElement('path', { d: 'M0 0L24 24', strokeWidth: 2, strokeLinecap: 'round', fillOpacity: 0.3, fillRule: 'evenodd', clipPath: 'url(#c)' }),
    React.createElement('use', { xlinkHref: '#g', xmlSpace: 'preserve' }),
    React.createElement('text', { textAnchor: 'middle', dominantBaseline: 'central', fontSize: 12 }, 'svg'));
}
