import { pathToFileURL } from 'node:url';

const missed: string[] = [];

/**
 * Print a bench's goal with PASS or MISS. A miss is remembered, and `pnpm bench` exits non-zero
 * once every bench has run: a goal that only prints would let a regression pass unnoticed.
 */
export function goal(met: boolean, what: string): void {
  console.log(`  ${what}  ${met ? 'PASS' : 'MISS'}`);
  if (!met) missed.push(what);
}

/**
 * Run each bench file's `run()` in turn; the exit code for the run: 1 if any goal was missed
 * (they are listed), else 0. A bench that throws stops the run with its error.
 */
export async function runBenches(files: readonly string[], log = console.log): Promise<number> {
  missed.length = 0;
  for (const file of files) {
    log(`\n## ${file.replace(/^.*\//, '').replace('.bench.ts', '')}`);
    const mod = (await import(pathToFileURL(file).href)) as { run(): Promise<void> };
    await mod.run();
  }
  if (missed.length === 0) return 0;
  log(`\n${missed.length} goal(s) missed:\n${missed.map((m) => `  - ${m.trim()}`).join('\n')}`);
  return 1;
}
