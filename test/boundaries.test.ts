import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// The dependency direction of ARCHITECTURE.md is enforced by the linter (biome.json overrides).
// These cases prove the rules bite: a forbidden import in a real package folder is an error.
const root = join(import.meta.dirname, '..');
const probes: { path: string; before: string | undefined }[] = [];

function lint(file: string, source: string): string {
  const path = join(root, file);
  mkdirSync(join(path, '..'), { recursive: true });
  probes.push({ path, before: existsSync(path) ? readFileSync(path, 'utf8') : undefined });
  writeFileSync(path, source);
  try {
    execFileSync('pnpm', ['exec', 'biome', 'lint', '--vcs-use-ignore-file=false', file], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return '';
  } catch (err) {
    const e = err as { stdout: string; stderr: string };
    return e.stdout + e.stderr;
  }
}

afterEach(() => {
  for (const { path, before } of probes.splice(0)) {
    if (before === undefined) rmSync(path, { force: true });
    else writeFileSync(path, before);
  }
});

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
    expect(lint(file, source)).not.toContain('noRestrictedImports');
  });
});
