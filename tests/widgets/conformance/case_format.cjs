/*
 * A conformance case file: directive lines first, then the widget's code.
 *
 *   // @jsx                      the code is JSX (compiled to React.createElement first)
 *   // @html                     record the HTML (react-dom/server) at every checkpoint
 *   // @config {"title": "x"}    the widget's config (JSON); @slotData likewise
 *   // @step {"click": "button"} one step after the first render, in order (see run_case.cjs)
 *
 * The Python side reads the same format (tests/widgets/conformance/corpus.py).
 */
'use strict';

function parseCase(text) {
  const lines = text.split('\n');
  const spec = { jsx: false, html: false, config: {}, slotData: {}, steps: [] };
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^\/\/ @(\w+)\s*(.*)$/.exec(lines[i]);
    if (!m) break;
    const [, key, value] = m;
    if (key === 'jsx' || key === 'html') spec[key] = true;
    else if (key === 'step') spec.steps.push(JSON.parse(value));
    else if (key === 'config' || key === 'slotData') spec[key] = JSON.parse(value);
    else if (key !== 'about') throw new Error('unknown directive @' + key);
  }
  spec.code = lines.slice(i).join('\n');
  return spec;
}

module.exports = { parseCase };
