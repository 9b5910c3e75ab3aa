// @about the platform's Cart Hamid shape: a window event counter
// @step {"window": "cart-viewed"}
// @step {"window": "cart-viewed"}
// @step {"window": "other"}
// @step {"window": "cart-viewed"}
function CartHamidWidget({ config, slotData }) {
  const [visits, setVisits] = React.useState(0);
  React.useEffect(() => {
    const handler = () => setVisits(v => v + 1);
    window.addEventListener('cart-viewed', handler);
    return () => window.removeEventListener('cart-viewed', handler);
  }, []);
  return React.createElement('div', { style: { padding: '16px', background: 'linear-gradient(135deg, #667eea 0%, #764ba2 100%)', borderRadius: '12px', color: 'white' } },
    React.createElement('h3', { style: { margin: 0, fontSize: '18px' } }, 'Cart visits'),
    React.createElement('p', { style: { fontSize: 32, fontWeight: 'bold', margin: '8px 0 0' } }, visits));
}
