export default function cartViewerDiscount(price, product) {
  // Filter for product.price: takes 10% off and rounds to cents.
  if (typeof price !== 'number') return price;
  return Math.round(price * 0.9 * 100) / 100;
}
