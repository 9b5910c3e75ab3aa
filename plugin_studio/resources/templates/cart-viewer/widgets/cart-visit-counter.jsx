function CartVisitCounter({ config, slotData }) {
  const [visits, setVisits] = React.useState(0);

  React.useEffect(() => {
    const onCartViewed = () => setVisits((n) => n + 1);
    window.addEventListener('cart-viewed', onCartViewed);
    return () => window.removeEventListener('cart-viewed', onCartViewed);
  }, []);

  const accent = (config && config.accent) || '#6d28d9';
  return React.createElement(
    'div',
    { style: { padding: '12px 16px', borderRadius: '8px', border: '1px solid ' + accent, background: '#f5f3ff' } },
    React.createElement('strong', { style: { color: accent, fontSize: '15px' } }, (config && config.title) || 'Cart Viewer'),
    React.createElement('p', { style: { margin: '6px 0 0 0', color: '#374151' } }, 'Cart visits: ' + visits)
  );
}
