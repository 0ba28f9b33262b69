// Checks every publishable package as npm would ship it: publint (package.json, exports, files) and
// Are The Types Wrong (types resolve for ESM consumers under node16 and bundler resolution), then
// imports each built entry point to prove it loads in Node.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const packages = [
  'packages/contracts',
  'packages/engine',
  'packages/sdk',
  'packages/msw',
  'packages/widget',
  'packages/react',
  'reference-server',
];
const bin = (name) => join(process.cwd(), 'node_modules', '.bin', name);
let failed = false;

const run = (label, command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    failed = true;
    console.error(`✗ ${label}\n${result.stdout}\n${result.stderr}`);
  } else {
    console.log(`✓ ${label}`);
  }
};

for (const dir of packages) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  run(`publint ${pkg.name}`, bin('publint'), ['--pack', 'npm', '--strict'], dir);
  if (pkg.types)
    run(`attw ${pkg.name}`, bin('attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'ascii'], dir);
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath.endsWith('.json') || typeof target !== 'object') continue;
    const file = target.node ?? target.default ?? target.import;
    if (subpath.endsWith('browser')) continue; // browser-only entry points need a DOM
    try {
      await import(pathToFileURL(join(process.cwd(), dir, file)).href);
      console.log(`✓ import ${pkg.name}${subpath.slice(1)}`);
    } catch (error) {
      failed = true;
      console.error(`✗ import ${pkg.name}${subpath.slice(1)}: ${error.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
