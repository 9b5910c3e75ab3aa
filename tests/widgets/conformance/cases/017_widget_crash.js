// @about the storefront's error boundary text
function Broken({ config }) {
  if (!config.product) throw new Error('config.product is required');
  return React.createElement('p', null, config.product);
}
