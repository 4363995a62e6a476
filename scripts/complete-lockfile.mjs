#!/usr/bin/env node
// Adds lock entries for optional platform packages (rollup's and rolldown's native bindings for other
// operating systems and CPUs) that npm could not record because the registry this project installs from
// does not serve them. `npm ci` refuses a lock that lacks an entry for any dependency, even an optional one
// for another platform; with `os`/`cpu`/`libc` recorded, npm skips these entries here without fetching them.
// Run after `npm install` changes package-lock.json: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32'];
const CPU = {
  arm: 'arm',
  'arm-eabi': 'arm',
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  ppc64: 'ppc64',
  s390x: 's390x',
  loong64: 'loong64',
  riscv64: 'riscv64',
  wasm32: 'wasm32',
};

/** os, cpu and libc of a binding package, from its name (`@rollup/rollup-linux-arm64-musl`). */
function platformOf(name) {
  const parts = name.split('/')[1].split('-').slice(1); // drop "rollup" / "binding"
  const os = parts.find((p) => OS.includes(p));
  const rest = parts.filter((p) => p !== os);
  let cpu;
  for (let i = rest.length; i > 0 && cpu === undefined; i--) cpu = CPU[rest.slice(0, i).join('-')];
  const libc =
    rest.includes('musl') || rest.includes('musleabihf')
      ? 'musl'
      : rest.includes('gnu') || rest.includes('gnueabihf')
        ? 'glibc'
        : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    const nested = `${path}/node_modules/${dep}`;
    if (packages[key] || packages[nested]) continue;
    if (!/^@(rollup|rolldown)\//.test(dep)) continue;
    const { os, cpu, libc } = platformOf(dep);
    packages[key] = {
      version,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
      dev: entry.dev,
      license: 'MIT',
      optional: true,
      ...(os ? { os: [os] } : {}),
    };
    if (packages[key].dev === undefined) delete packages[key].dev;
    added++;
  }
}
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
