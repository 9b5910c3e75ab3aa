/*
 * One conformance case in Node.js: react-dom 18 in jsdom, the widget compiled as the storefront
 * compiles it (widget_shell.js), timers on a virtual clock, user input as a browser delivers it.
 * Prints {"checkpoints": [{tree, log, html?}, ...]} for the case file given on the command line.
 * Run by generate.mjs (which installs react, react-dom, jsdom and sucrase into a temporary folder
 * and points NODE_PATH at it); never by the test suite.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { parseCase } = require('./case_format.cjs');

const RESOURCES = path.resolve(__dirname, '../../../plugin_studio/resources/js');

// ---- the virtual clock, installed before React loads (its scheduler reads these once) ---------
const clock = { now: 0, seq: 0, timers: [] };
function addTimer(fn, ms, args, every) {
  const delay = Math.max(0, Number(ms) || 0);
  const timer = { id: ++clock.seq, at: clock.now + delay, fn, args, every: every ? Math.max(1, delay) : 0 };
  clock.timers.push(timer);
  return timer.id;
}
function clearTimer(id) { clock.timers = clock.timers.filter((t) => t.id !== id); }
function nextDue(target) {
  let best = null;
  for (const t of clock.timers) if (t.at <= target && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
  return best;
}
function fire(timer) {
  clock.now = Math.max(clock.now, timer.at);
  if (timer.every) timer.at += timer.every; else clearTimer(timer.id);
  try { timer.fn(...timer.args); } catch (e) { record('error', [e]); }
}

// ---- the browser ----------------------------------------------------------------------------
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body><div id="root"></div></body></html>', { url: 'https://shop.example/cart' });
const win = dom.window;
const timerApi = {
  setTimeout: (fn, ms, ...args) => addTimer(fn, ms, args, false),
  setInterval: (fn, ms, ...args) => addTimer(fn, ms, args, true),
  clearTimeout: clearTimer,
  clearInterval: clearTimer,
  requestAnimationFrame: (fn) => addTimer(() => fn(clock.now), 16, [], false),
  cancelAnimationFrame: clearTimer,
};
Object.assign(win, timerApi);
Object.assign(globalThis, timerApi);
Object.defineProperty(globalThis, 'performance', { value: { now: () => clock.now }, configurable: true, writable: true });
for (const name of ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'Event', 'CustomEvent',
                    'HTMLElement', 'Node', 'KeyboardEvent', 'MouseEvent', 'FocusEvent', 'InputEvent']) {
  if (name === 'window') globalThis.window = win;
  else Object.defineProperty(globalThis, name, { value: win[name], configurable: true, writable: true });
}
globalThis.addEventListener = win.addEventListener.bind(win);
globalThis.removeEventListener = win.removeEventListener.bind(win);
globalThis.dispatchEvent = win.dispatchEvent.bind(win);

const logLines = [];
function show(v) {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return '[Function' + (v.name ? ': ' + v.name : '') + ']';
  if (v instanceof Error || (v && typeof v === 'object' && typeof v.message === 'string' && typeof v.name === 'string')) return v.name + ': ' + v.message;
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v);
  try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
}
function record(level, args) { if (level === 'log' || level === 'info') logLines.push(args.map(show).join(' ')); }
for (const level of ['log', 'info', 'debug', 'warn', 'error']) console[level] = (...args) => record(level, args);
win.addEventListener('error', (event) => event.preventDefault());  // React dev reports caught errors here

const React = require('react');
const ReactDOM = require('react-dom/client');
const ReactDOMServer = require('react-dom/server');
const shell = eval(fs.readFileSync(path.join(RESOURCES, 'widget_shell.js'), 'utf8'))(React);
const tree = eval(fs.readFileSync(path.join(RESOURCES, 'widget_tree.js'), 'utf8'))();

// ---- reading the DOM as the preview describes its elements ----------------------------------
function reactProps(el) {
  const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
  return key ? el[key] : {};
}
function hidden(el) { return el.style && el.style.display === 'none' && el.style.getPropertyPriority('display') === 'important'; }
function describe(el) {
  const props = reactProps(el);
  const node = { type: el.localName, props: tree.plainProps(props), children: [] };
  if (el.localName !== 'textarea' && props.dangerouslySetInnerHTML == null) serialize(el.childNodes, node.children);
  if (el.localName === 'input') node.dom = el.type === 'checkbox' || el.type === 'radio' ? { checked: el.checked } : { value: el.value };
  else if (el.localName === 'textarea' || el.localName === 'select') node.dom = { value: el.value };
  return node;
}
function serialize(nodes, out) {
  for (const n of nodes) {
    if (n.nodeType === 3) tree.pushText(out, n.data);
    else if (n.nodeType === 1 && !hidden(n)) out.push(describe(n));
  }
  return out;
}
function mirror(nodes) {
  const out = [];
  for (const n of nodes) {
    if (n.nodeType === 3) { if (n.data !== '') out.push(n.data); continue; }
    if (n.nodeType !== 1 || hidden(n)) continue;
    const props = Object.assign({}, reactProps(n));
    if (n.localName !== 'textarea' && props.dangerouslySetInnerHTML == null) {
      const children = mirror(n.childNodes);
      if (children.length) props.children = children; else delete props.children;
    }
    out.push(React.createElement(n.localName, props));
  }
  return out;
}

// ---- running the case -------------------------------------------------------------------------
async function settle() {
  for (let round = 0; round < 200; round++) {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    const due = nextDue(clock.now);
    if (!due) return;
    fire(due);
  }
}

function find(container, selector) {
  const at = selector.lastIndexOf('@');
  const [css, index] = at > 0 ? [selector.slice(0, at), Number(selector.slice(at + 1))] : [selector, 0];
  const el = container.querySelectorAll(css)[index];
  if (!el) throw new Error('no element ' + selector);
  return el;
}

function setValue(el, value) {
  const proto = el.localName === 'textarea' ? win.HTMLTextAreaElement.prototype
    : el.localName === 'select' ? win.HTMLSelectElement.prototype : win.HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
}

async function perform(step, container, render, root) {
  if (step.click) find(container, step.click).click();
  else if (step.input) { const el = find(container, step.input); setValue(el, step.value); el.dispatchEvent(new win.Event('input', { bubbles: true })); }
  else if (step.change) { const el = find(container, step.change); setValue(el, step.value); el.dispatchEvent(new win.Event('change', { bubbles: true })); }
  else if (step.keydown) find(container, step.keydown).dispatchEvent(new win.KeyboardEvent('keydown', { key: step.key, bubbles: true, cancelable: true }));
  else if (step.focus) find(container, step.focus).focus();
  else if (step.blur) find(container, step.blur).blur();
  else if (step.window) win.dispatchEvent(new win.CustomEvent(step.window, { detail: step.detail === undefined ? null : step.detail }));
  else if ('advance' in step) {
    const target = clock.now + step.advance;
    for (let due = nextDue(target); due; due = nextDue(target)) { fire(due); await settle(); }
    clock.now = target;
  } else if (step.config) render(step.config);
  else if (step.unmount) root.unmount();
  else throw new Error('unknown step ' + JSON.stringify(step));
  await settle();
}

async function main() {
  const spec = parseCase(fs.readFileSync(process.argv[2], 'utf8'));
  let code = spec.code;
  if (spec.jsx) code = require('sucrase').transform(code, { transforms: ['jsx'], production: true, jsxRuntime: 'classic' }).code;
  const Widget = shell.compileStorefront(code);
  const container = win.document.getElementById('root');
  const root = ReactDOM.createRoot(container);
  const render = (config) => root.render(React.createElement(shell.Shell, { widget: Widget, config, slotData: spec.slotData || {} }));
  const checkpoints = [];
  const checkpoint = () => {
    const point = { tree: serialize(container.childNodes, []), log: logLines.splice(0) };
    if (spec.html) point.html = ReactDOMServer.renderToStaticMarkup(React.createElement(React.Fragment, null, mirror(container.childNodes)));
    checkpoints.push(point);
  };
  render(spec.config || {});
  await settle();
  checkpoint();
  for (const step of spec.steps) {
    await perform(step, container, render, root);
    checkpoint();
  }
  process.stdout.write(JSON.stringify({ checkpoints }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
