// Formats a number of the store currency for display: formatPrice(12.5) === '$12.50'.
export function formatPrice(amount, currency = '$') {
  const value = Number(amount || 0).toFixed(2);
  return `${currency}${value}`;
}
