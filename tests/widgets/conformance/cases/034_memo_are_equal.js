// @about memo's areEqual keeps the stale amount visible
// @step {"click": "#amount"}
// @step {"click": "#cur"}
function Memoed() {
  const Price = React.useMemo(() => React.memo(function Price(props) {
    console.log('price render ' + props.amount);
    return React.createElement('span', null, props.amount.toFixed(2) + ' ' + props.currency);
  }, (prev, next) => prev.currency === next.currency), []);
  const [amount, setAmount] = React.useState(10);
  const [currency, setCurrency] = React.useState('EUR');
  return React.createElement('div', null,
    React.createElement(Price, { amount: amount, currency: currency }),
    React.createElement('button', { id: 'amount', onClick: () => setAmount(amount + 5) }, 'amount'),
    React.createElement('button', { id: 'cur', onClick: () => setCurrency('USD') }, 'currency'));
}
