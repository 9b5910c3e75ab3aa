// @about Intl and the locale-aware toLocaleString methods (Chrome has them; QuickJS does not)
// @config {"total": 1234567.891, "day": 1705276800000}
// @step {"config": {"total": 0.5, "day": 0}}
function Prices({ config }) {
  const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const eur = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
  const day = new Date(config.day);
  return React.createElement('ul', null,
    React.createElement('li', null, usd.format(config.total)),
    React.createElement('li', null, eur.format(config.total)),
    React.createElement('li', null, config.total.toLocaleString()),
    React.createElement('li', null, config.total.toLocaleString('fr-FR', { maximumFractionDigits: 1 })),
    React.createElement('li', null, config.total.toLocaleString('en-US', { style: 'percent' })),
    React.createElement('li', null, day.toLocaleDateString('en-US', { timeZone: 'UTC' })),
    React.createElement('li', null, day.toLocaleDateString('de-DE', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' })),
    React.createElement('li', null, new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: undefined, month: 'short', day: '2-digit' }).format(day)));
}
