import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, namespace, startTestServer } from '../src/kube/testing.ts';

/**
 * The real kubectl (a client nobody here wrote) against the sandbox API server. When it fails,
 * rerun the command by hand with `-v=8` to see what it asked for.
 */
const found = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'kubectl'))
  .find((path) => existsSync(path));
const KUBECTL = found ?? 'kubectl';

let t: TestServer;
let dir: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function kubectl(args: string[], input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args],
      { timeout: 15_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function ok(args: string[], input?: string): Promise<string> {
  const res = await kubectl(args, input);
  if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
  return res.stdout;
}

const manifest = (image: string, env: string, weight: number) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: ${image}
        env:
        - {name: ${env}, value: "1"}
        ports:
        - containerPort: 8080
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
spec:
  hosts: [web]
  http:
  - name: primary
    route:
    - destination: {host: web, subset: stable}
      weight: ${weight}
    - destination: {host: web, subset: canary}
      weight: ${100 - weight}
`;

describe('kubectl against the sandbox API server', () => {
  beforeAll(async () => {
    // A missing kubectl fails the suite rather than skipping it: `npm test` installs it.
    if (!found)
      throw new Error(
        'kubectl is not on PATH: run `node scripts/bootstrap.mjs test` or apt-get install kubectl',
      );
    t = await startTestServer();
    await t.api('POST', '/api/v1/namespaces', namespace('shop'));
    dir = await mkdtemp(join(tmpdir(), 'aviary-kubectl-'));
    await writeFile(
      join(dir, 'kubeconfig'),
      `apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster:
    server: ${t.url}
    insecure-skip-tls-verify: true
contexts:
- name: sandbox
  context: {cluster: sandbox, user: sandbox, namespace: shop}
current-context: sandbox
users:
- name: sandbox
  user: {}
`,
    );
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gets namespaces', async () => {
    expect(await ok(['get', 'namespaces', '-o', 'name'])).toBe('namespace/shop\n');
  });

  it('applies (creates) a Deployment and a VirtualService, with validation on', async () => {
    const out = await ok(['apply', '-f', '-'], manifest('web:1', 'A', 100));
    expect(out).toContain('deployment.apps/web created');
    expect(out).toContain('virtualservice.networking.istio.io/web created');
    const yaml = await ok(['get', 'deployment', 'web', '-o', 'yaml']);
    expect(yaml).toContain('revisionHistoryLimit: 10');
    expect(yaml).toContain('kubectl.kubernetes.io/last-applied-configuration');
    expect(await ok(['get', 'vs', 'web', '-o', 'jsonpath={.spec.http[0].route[*].weight}'])).toBe('100 0');
    // Default output is a server-side Table, so kubectl shows the columns a real cluster has.
    const table = await ok(['get', 'deployment', 'web']);
    expect(table).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+0\s+0\s+\d+s\n$/);
  });

  it('applies an update: strategic merge for the Deployment, merge patch for the VirtualService', async () => {
    const out = await ok(['apply', '-f', '-'], manifest('web:2', 'B', 90));
    expect(out).toContain('deployment.apps/web configured');
    expect(out).toContain('virtualservice.networking.istio.io/web configured');
    const dep = (await t.api('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).body;
    // env A was removed from the manifest and B added: kubectl sent `$patch: delete` for A.
    expect(dep.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'web:2', env: [{ name: 'B', value: '1' }], ports: [{ containerPort: 8080 }] },
    ]);
    expect(dep.metadata.generation).toBe(2);
    expect(await ok(['get', 'vs', 'web', '-o', 'jsonpath={.spec.http[0].route[*].weight}'])).toBe('90 10');
    expect(await ok(['apply', '-f', '-'], manifest('web:2', 'B', 90))).toContain(
      'deployment.apps/web unchanged',
    );
  });

  it('patches with --type merge and --type json', async () => {
    expect(
      await ok(['patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":4}}']),
    ).toContain('patched');
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
    const json =
      '[{"op":"replace","path":"/spec/http/0/route/0/weight","value":50},{"op":"replace","path":"/spec/http/0/route/1/weight","value":50}]';
    await ok(['patch', 'virtualservice', 'web', '--type', 'json', '-p', json]);
    expect(await ok(['get', 'vs', 'web', '-o', 'jsonpath={.spec.http[0].route[*].weight}'])).toBe('50 50');
    const failing = await kubectl([
      'patch',
      'vs',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/spec/hosts/0","value":"nope"}]',
    ]);
    expect(failing.code).not.toBe(0);
    expect(failing.stderr).toContain('testing value /spec/hosts/0 failed');
  });

  it('reports server-side validation errors as Invalid', async () => {
    const res = await kubectl(['patch', 'vs', 'web', '--type', 'merge', '-p', '{"spec":{"hosts":[]}}']);
    expect(res.code).not.toBe(0);
    // kubectl words a 422 with causes itself, from the Status details.
    expect(res.stderr).toContain('The VirtualService "web" is invalid');
    expect(res.stderr).toContain('spec.hosts: Required value');
  });

  it('scales through the scale subresource', async () => {
    expect(await ok(['scale', 'deployment', 'web', '--replicas', '3'])).toContain('scaled');
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  });

  it('watches with get -w and receives the change', async () => {
    const child = spawn(KUBECTL, [
      '--kubeconfig',
      join(dir, 'kubeconfig'),
      '--cache-dir',
      join(dir, 'cache'),
      'get',
      'deployment',
      'web',
      '-w',
      '-o',
      'jsonpath={.spec.replicas}{"\\n"}',
    ]);
    try {
      const lines = linesOf(child);
      expect(await lines.next()).toBe('3');
      await t.api(
        'PATCH',
        '/apis/apps/v1/namespaces/shop/deployments/web',
        { spec: { replicas: 5 } },
        'application/merge-patch+json',
      );
      expect(await lines.next()).toBe('5');
    } finally {
      child.kill();
    }
  });

  it('refuses a stale replace with a Conflict', async () => {
    const stale = await ok(['get', 'deployment', 'web', '-o', 'yaml']);
    await ok(['label', 'deployment', 'web', 'touched=yes']);
    const res = await kubectl(['replace', '-f', '-'], stale);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Error from server (Conflict)');
    expect(res.stderr).toContain(
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('deletes, then reports NotFound', async () => {
    expect(await ok(['delete', 'deployment', 'web'])).toContain('deployment.apps "web" deleted');
    const res = await kubectl(['get', 'deployment', 'web']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Error from server (NotFound): deployments.apps "web" not found');
    expect(await ok(['delete', '-f', '-'], manifest('web:2', 'B', 90).split('---')[1]!)).toContain('deleted');
    expect(await ok(['get', 'vs', '-o', 'name'])).toBe('');
  });
});

/** Lines a child prints, one at a time. */
function linesOf(child: ChildProcess) {
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout?.on('data', (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return {
    next: async (timeoutMs = 10_000): Promise<string> => {
      const deadline = Date.now() + timeoutMs;
      while (lines.length === 0) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no line from kubectl; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return lines.shift()!;
    },
  };
}
