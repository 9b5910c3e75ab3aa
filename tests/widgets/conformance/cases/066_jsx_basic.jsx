// @jsx
// @config {"name": "Ada"}
// @step {"click": "button"}
// @step {"click": "button"}
// @step {"click": "button"}
export default function Hello({ config }) {
  const [n, setN] = React.useState(0);
  return (
    <>
      <h2 className="title">Hello {config.name || 'world'}</h2>
      <button onClick={() => setN(n + 1)} disabled={n >= 2}>
        clicked {n} {n === 1 ? 'time' : 'times'}
      </button>
    </>
  );
}
