/**
 * Runs every benchmark in `bench/` one after the other, each in its own process, and prints their output.
 * Each benchmark prints ratios measured against a baseline in the same run (never an absolute time as a
 * pass/fail). `npm run bench` runs them all; `npm run bench -- gateway` runs those whose file name matches.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n### ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed++;
    console.log(`!!! ${file} exited with ${result.status ?? result.signal}`);
  }
}
console.log(`\nbenchmarks: ${files.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
