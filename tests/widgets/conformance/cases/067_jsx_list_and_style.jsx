// @jsx
// @slotData {"cart": {"items": [{"sku": "a", "name": "Sock", "price": 3}, {"sku": "b", "name": "Hat", "price": 12.5}, {"sku": "c", "name": "Scarf", "price": 9}]}}
// @step {"click": "th"}
export default function Table({ slotData }) {
  const rows = (slotData.cart && slotData.cart.items) || [];
  const [sort, setSort] = React.useState(1);
  const sorted = rows.slice().sort((a, b) => sort * (a.price - b.price));
  return (
    <table style={{ borderCollapse: 'collapse', width: '100%' }}>
      <thead><tr><th onClick={() => setSort(-sort)}>Item</th><th>Price</th></tr></thead>
      <tbody>
        {sorted.map(r => <tr key={r.sku}><td>{r.name}</td><td style={{ textAlign: 'right' }}>{r.price.toFixed(2)}</td></tr>)}
      </tbody>
    </table>
  );
}
