import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// There is no Docker engine to build or run these here, so check them offline and against the tree.
const root = join(import.meta.dirname, '..', '..', '..');

describe('docker-compose.yml', () => {
  const compose = (...args: string[]) =>
    execFileSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG_FILE: '/tmp/kubeconfig-for-test' },
    });

  it('is valid compose (docker-compose config -q)', () => {
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('runs Aviary against the mounted kubeconfig and the bundled Prometheus', () => {
    const config = parse(compose('config'));
    const aviary = config.services.aviary;
    expect(aviary.environment.AVIARY_KUBECONFIG).toBe('/etc/aviary/kubeconfig');
    // The repository's Dockerfile image, run as in Kubernetes: read-only, no capabilities.
    expect(aviary.build.context).toBe(root);
    expect(aviary.read_only).toBe(true);
    expect(aviary.cap_drop).toEqual(['ALL']);
    expect(aviary.environment.AVIARY_PROMETHEUS_URL).toBe('http://prometheus:9090');
    expect(JSON.stringify(aviary.volumes)).toContain('/tmp/kubeconfig-for-test');
    expect(config.services.prometheus).toBeDefined();
    const promConfig = config.services.prometheus.volumes.find((v: { target?: string } | string) =>
      JSON.stringify(v).includes('/etc/prometheus/prometheus.yml'),
    );
    const source = typeof promConfig === 'string' ? promConfig.split(':')[0] : promConfig.source;
    expect(existsSync(source)).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

  it('copies only paths that exist and starts the built form of an entry that exists', () => {
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources!.split(' ')) expect(existsSync(join(root, source)), source).toBe(true);
    }
    const cmd = JSON.parse(dockerfile.match(/^CMD (.+)$/m)![1]!) as string[];
    const entry = cmd.at(-1)!.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
    expect(existsSync(join(root, entry)), entry).toBe(true);
    expect(cmd).not.toContain('tsx');
  });

  it('installs the pnpm the workspace pins', () => {
    const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
    expect(dockerfile).toContain(`prepare ${pinned} --activate`);
  });

  it('builds every stage on debian:trixie-slim and runs as a non-root user', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)];
    const names = new Set(stages.map((m) => m[2]));
    const bases = stages.map((m) => m[1]).filter((image) => !names.has(image));
    expect(bases.length).toBeGreaterThan(1);
    expect(new Set(bases)).toEqual(new Set(['debian:trixie-slim']));
    expect(dockerfile).toMatch(/^USER [1-9]\d*:[1-9]\d*$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^ARG NODE_EXTRA_CA_CERTS$/m);
  });
});
