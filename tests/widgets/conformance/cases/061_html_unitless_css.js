// @about unitless CSS properties take no px
// @html
function Grid() {
  return React.createElement('div', { style: { display: 'grid', gridColumn: 2, gridRow: 3, columnCount: 3, WebkitLineClamp: 2,
      aspectRatio: 1.5, tabSize: 4, animationIterationCount: 2, flex: 1, flexGrow: 2, opacity: 0.5, zIndex: 10,
      lineHeight: 1.4, fontWeight: 600, order: 1, zoom: 2, orphans: 2, widows: 2, fillOpacity: 0.5, strokeWidth: 3,
      width: 100, margin: 0, padding: 8, fontSize: 14.5, msTransform: 'none', WebkitTransition: 'none' } }, 'grid');
}
