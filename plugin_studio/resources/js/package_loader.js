/*
 * CommonJS over the files of pinned npm packages (runner/js_packages.py compiles each file's
 * factory into __pkg.factories under its own file name). Node's resolution, reduced to what a
 * package needs: "./x" and "../x" within the requiring file's package, "name" and "name/sub".
 */
globalThis.__pkg = (function (callPython) {
  'use strict';
  const factories = {};
  const cache = {};

  function split(spec) {
    const parts = spec.split('/');
    const n = spec.charAt(0) === '@' ? 2 : 1;
    return [parts.slice(0, n).join('/'), parts.slice(n).join('/')];
  }
  function packageOf(id) {
    return split(id)[0];
  }
  function stub(name) {
    return new Proxy({}, {
      get(target, key) {
        if (key === '__esModule' || typeof key === 'symbol') return undefined;
        throw new Error(name + ' is not bundled with Plugin Studio (only needed by features it does not use)');
      },
    });
  }
  function load(fromId, spec) {
    let pkg, path;
    if (spec.charAt(0) === '.') {
      pkg = packageOf(fromId);
      const dir = fromId.slice(pkg.length + 1).split('/').slice(0, -1).join('/');
      const joined = (dir ? dir + '/' : '') + spec;
      const out = [];
      for (const part of joined.split('/')) {
        if (part === '..') out.pop(); else if (part !== '.' && part !== '') out.push(part);
      }
      path = out.join('/');
    } else {
      [pkg, path] = split(spec);
    }
    const key = pkg + '\u0000' + path;
    if (cache[key]) return cache[key].exports;
    const r = callPython('ps.package', pkg, path);
    if (r.stub) return stub(r.stub);
    if (r.error) throw new Error('cannot load ' + spec + ': ' + r.error);
    if (cache[r.id]) { cache[key] = cache[r.id]; return cache[r.id].exports; }
    const module = {exports: {}, id: r.id};
    cache[key] = cache[r.id] = module;
    const dirname = r.id.split('/').slice(0, -1).join('/');
    factories[r.id].call(module.exports, module.exports, s => load(r.id, s), module, r.id, dirname);
    return module.exports;
  }
  return {factories: factories, require: spec => load('', spec)};
})(globalThis.call_python);
0;
