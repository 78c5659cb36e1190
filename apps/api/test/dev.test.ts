import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness.ts';

const apiDir = join(import.meta.dirname, '..');

describe('npm start (the dev entry)', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('puts the sandbox where AVIARY_SANDBOX_DIR says', async () => {
    dir = await mkdtemp(join(tmpdir(), 'aviary-dev-'));
    const sandboxDir = join(dir, 'sandbox');
    const { AVIARY_KUBECONFIG: _, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/dev.ts'], {
      cwd: apiDir,
      env: {
        ...inherited,
        AVIARY_SANDBOX_DIR: sandboxDir,
        AVIARY_SANDBOX_RPS: '2',
        AVIARY_SANDBOX_SCRAPE_INTERVAL: '2',
        AVIARY_DB: join(dir, 'aviary.db'),
        AVIARY_PORT: '0',
        AVIARY_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(
        async () => output.includes('Aviary is running'),
        60_000,
        `the dev entry to start:\n${output}`,
      );
      expect(output).toContain(`kubeconfig ${join(sandboxDir, 'kubeconfig')}`);
      const endpoints = JSON.parse(await readFile(join(sandboxDir, 'endpoints.json'), 'utf8'));
      expect(endpoints.kubeconfig).toBe(join(sandboxDir, 'kubeconfig'));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
