// @step {"click": "button"}
function Async() {
  const [status, setStatus] = React.useState('idle');
  const load = async () => {
    setStatus('loading');
    const value = await Promise.resolve(42);
    await null;
    setStatus('loaded ' + value);
  };
  return React.createElement('button', { onClick: load }, status);
}
