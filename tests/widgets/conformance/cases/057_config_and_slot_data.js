// @config {"title": "New"}
// @slotData {"product": {"name": "Shoe", "price": 59.5}}
// @step {"config": {"title": "Sale", "color": "red"}}
function ProductBadge({ config, slotData }) {
  const product = (slotData && slotData.product) || {};
  return React.createElement('div', { className: 'badge', style: { color: config.color || 'black' } },
    React.createElement('strong', null, config.title || 'Untitled'),
    React.createElement('span', null, ' ' + (product.name || 'no product') + ' ' + (product.price != null ? product.price.toFixed(2) : '-')));
}
