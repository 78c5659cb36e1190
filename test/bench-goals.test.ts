import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenches } from '../bench/lib/goals.ts';

const benchDir = join(import.meta.dirname, '..', 'bench');
const goals = join(benchDir, 'lib', 'goals.ts');
const scratch = mkdtempSync(join(tmpdir(), 'aviary-bench-goals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function bench(name: string, met: boolean): string {
  const file = join(scratch, `${name}.bench.ts`);
  writeFileSync(
    file,
    `import { goal } from ${JSON.stringify(goals)};\nexport async function run() { goal(${met}, '${name}'); }\n`,
  );
  return file;
}

describe('benchmark goals', () => {
  it('a missed goal makes the run exit non-zero and is listed at the end', async () => {
    const lines: string[] = [];
    const code = await runBenches([bench('met', true), bench('missed', false)], (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines.at(-1)).toContain('- missed');
    expect(lines.at(-1)).not.toContain('- met');
  });

  it('a run whose goals are all met exits zero', async () => {
    expect(await runBenches([bench('met', true)], () => {})).toBe(0);
  });

  it.each(readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')))(
    '%s judges its goals with goal(), never with a printed verdict alone',
    (file) => {
      const source = readFileSync(join(benchDir, file), 'utf8');
      // A verdict in a string literal is a verdict nobody's exit code sees.
      expect(source).not.toMatch(/(['"`])(?:(?!\1).)*\b(MISS|NOT met|OVER|PASS)\b/);
    },
  );
});
