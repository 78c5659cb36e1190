import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The dependency direction of the README's layout is enforced by the linter (biome.json overrides).
// These cases prove the rules bite: a forbidden import at a real package's path is an error.
// The probes live in a scratch copy of the layout (the real biome.json, a probe file at the same
// relative path), so a crashed or killed run can never leave a change in the source tree.
const root = join(import.meta.dirname, '..');
const biome = join(root, 'node_modules', '.bin', 'biome');
const scratch = mkdtempSync(join(tmpdir(), 'aviary-boundaries-'));
copyFileSync(join(root, 'biome.json'), join(scratch, 'biome.json'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(file: string, source: string): string {
  const path = join(scratch, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, source);
  try {
    execFileSync(biome, ['lint', '--vcs-enabled=false', file], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return '';
  } catch (err) {
    const e = err as { stdout: string; stderr: string };
    return e.stdout + e.stderr;
  } finally {
    rmSync(path, { force: true });
  }
}

describe('package boundaries', () => {
  it.each([
    [
      'packages/core/src/boundary-probe.ts',
      "import '@aviary/db';\n",
      'core may import @aviary/contracts only',
    ],
    [
      'packages/contracts/src/boundary-probe.ts',
      "import '@aviary/core';\n",
      'contracts may import no other Aviary package',
    ],
    [
      'apps/web/src/boundary-probe.ts',
      "import '@aviary/core';\n",
      'the dashboard may import @aviary/contracts only',
    ],
    [
      'packages/prometheus/src/boundary-probe.ts',
      "import '@kubernetes/client-node';\n",
      'prometheus must not depend on these',
    ],
    [
      'apps/api/src/boundary-probe.ts',
      "import '@aviary/sandbox';\n",
      'the API (outside src/dev.ts) may import',
    ],
    [
      'packages/kube/src/boundary-probe.ts',
      "import '@aviary/core/src/ports.ts';\n",
      'never from its insides',
    ],
  ])('%s: refuses %s', (file, source, message) => {
    expect(lint(file, source)).toContain(message);
  });

  it.each([
    ['packages/core/src/boundary-probe.ts', "import '@aviary/contracts';\n"],
    ['packages/kube/src/boundary-probe.ts', "import '@aviary/core';\nimport '@kubernetes/client-node';\n"],
    ['apps/api/src/dev.ts', "import '@aviary/sandbox';\n"],
  ])('%s: allows %s', (file, source) => {
    expect(lint(file, source)).toBe('');
  });
});
