// Runs every benchmark in turn: `pnpm bench`. Each one is bounded and exits by itself.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [
  'bundle-size.mjs',
  'sse-parse.mjs',
  'chatkit.mjs',
  'cancel.mjs',
  'cold-start.mjs',
  'doors.mjs',
  'resume.mjs',
  'observability.mjs',
  'widget-stream.mjs',
  'commands.mjs',
  'events.mjs',
  'event-fanout.mjs',
  'sandbox.mjs',
  'personas.mjs',
  'frame-cost.mjs',
  'stream-scale.mjs',
  'providers.mjs',
  'files.mjs',
];
const only = process.argv.slice(2);
for (const bench of benches.filter((b) => only.length === 0 || only.some((o) => b.startsWith(o)))) {
  console.log(`\n## ${bench}`);
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(bench, import.meta.url))], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
