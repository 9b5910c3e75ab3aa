// Regenerate the conformance corpus's expected outputs with React 18 itself, in Node.js.
//
//   node tests/widgets/conformance/generate.mjs [NAME_FRAGMENT]
//
// Installs the pinned packages below into a temporary folder (nothing is committed; set
// CONFORMANCE_NODE_MODULES to a folder that already has them to skip the install), runs every case
// in cases/ in its own Node.js process (run_case.cjs: react-dom in jsdom, the storefront's compile
// and error boundary) and writes expected.json. The corpus test compares the preview against that
// file and needs neither Node.js nor npm.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGES = ['react@18.3.1', 'react-dom@18.3.1', 'jsdom@24.1.3', 'sucrase@3.35.1'];
const OUTPUT = join(HERE, 'expected.json');

function install() {
  if (process.env.CONFORMANCE_NODE_MODULES) return { modules: process.env.CONFORMANCE_NODE_MODULES, cleanup: () => {} };
  const folder = mkdtempSync(join(tmpdir(), 'plugin-studio-conformance-'));
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', folder, ...PACKAGES],
                        { stdio: 'inherit' });
  if (npm.status !== 0) throw new Error('npm install failed');
  return { modules: join(folder, 'node_modules'), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

function runCase(file, modules) {
  const run = spawnSync(process.execPath, [join(HERE, 'run_case.cjs'), file], {
    env: { ...process.env, NODE_PATH: modules, NODE_ENV: 'development' }, encoding: 'utf8', timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`${file}: ${run.stderr || run.error}`);
  return JSON.parse(run.stdout);
}

const filter = process.argv[2] || '';
const { modules, cleanup } = install();
try {
  const previous = existsSync(OUTPUT) ? JSON.parse(readFileSync(OUTPUT, 'utf8')).cases : {};
  const cases = filter ? { ...previous } : {};
  for (const name of readdirSync(join(HERE, 'cases')).sort()) {
    if (!name.includes(filter)) continue;
    cases[name] = runCase(join(HERE, 'cases', name), modules);
    process.stdout.write(`${name}: ${cases[name].checkpoints.length} checkpoints\n`);
  }
  const sorted = Object.fromEntries(Object.keys(cases).sort().map((k) => [k, cases[k]]));
  writeFileSync(OUTPUT, JSON.stringify({ generated_with: { node: process.version, packages: PACKAGES }, cases: sorted }, null, 1) + '\n');
} finally {
  cleanup();
}
