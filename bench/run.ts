// Runs every benchmark in this folder in turn (or those named on the command line), and exits
// non-zero when any of them missed its goal.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runBenches } from './lib/goals.ts';

const wanted = process.argv.slice(2);
const benches = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort()
  .map((f) => join(import.meta.dirname, f));
process.exitCode = await runBenches(benches);
