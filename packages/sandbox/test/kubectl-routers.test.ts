import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type TestServer, namespace, startTestServer } from '../src/kube/testing.ts';
import { routerNamespaces, routerSeedObjects } from '../src/seed.ts';

// kubectl get, apply, patch and get -w on every router kind beside Istio's.
const KUBECTL = '/usr/bin/kubectl';
let t: TestServer;
let dir: string;

const args = (rest: string[]) => [
  '--kubeconfig',
  join(dir, 'kubeconfig'),
  '--cache-dir',
  join(dir, 'cache'),
  ...rest,
];

function ok(rest: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(KUBECTL, args(rest), { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${rest.join(' ')} failed: ${stderr}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

type Router = keyof typeof routerNamespaces;
const rows: { router: Router; resource: string; name: string; weight: string }[] = [
  {
    router: 'gateway-api',
    resource: 'httproutes',
    name: 'checkout',
    weight: '{.spec.rules[0].backendRefs[1].weight}',
  },
  { router: 'smi', resource: 'trafficsplits', name: 'checkout', weight: '{.spec.backends[1].weight}' },
  {
    router: 'nginx',
    resource: 'ingresses',
    name: 'checkout-canary',
    weight: '{.metadata.annotations.nginx\\.ingress\\.kubernetes\\.io/canary-weight}',
  },
  {
    router: 'traefik',
    resource: 'traefikservices',
    name: 'checkout',
    weight: '{.spec.weighted.services[1].weight}',
  },
];

/** The seed's router object(s) of one router, as a manifest with the canary at `canary`. */
function manifest(router: Router, canary: number): string {
  const kinds = ['HTTPRoute', 'TrafficSplit', 'Ingress', 'TraefikService'];
  const objects = routerSeedObjects(router).filter((o) => kinds.includes(o.kind));
  for (const o of objects) {
    delete o.metadata.annotations?.['aviary.dev/profile'];
    if (o.spec?.rules?.[0]?.backendRefs) o.spec.rules[0].backendRefs[1].weight = canary;
    if (o.spec?.backends) o.spec.backends[1].weight = canary;
    if (o.spec?.weighted) o.spec.weighted.services[1].weight = canary;
    if (o.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'])
      o.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight'] = String(canary);
  }
  return objects.map((o) => stringify(o)).join('---\n');
}

function linesOf(child: ChildProcess) {
  const lines: string[] = [];
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return async (): Promise<string> => {
    const deadline = Date.now() + 15_000;
    while (lines.length === 0) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('no line from kubectl get -w');
      await new Promise((r) => setTimeout(r, 20));
    }
    return lines.shift()!;
  };
}

describe('kubectl on the router kinds', () => {
  beforeAll(async () => {
    t = await startTestServer();
    for (const ns of Object.values(routerNamespaces))
      await t.api('POST', '/api/v1/namespaces', namespace(ns));
    dir = await mkdtemp(join(tmpdir(), 'aviary-kubectl-routers-'));
    await writeFile(
      join(dir, 'kubeconfig'),
      `apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster: {server: '${t.url}'}
contexts:
- name: sandbox
  context: {cluster: sandbox, user: sandbox}
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

  it.each(rows)(
    '$resource: apply creates and updates, get, patch --type merge, get -w',
    async (row) => {
      const ns = routerNamespaces[row.router];
      const get = () => ok(['-n', ns, 'get', row.resource, row.name, '-o', `jsonpath=${row.weight}`]);
      expect(await ok(['-n', ns, 'apply', '-f', '-'], manifest(row.router, 0))).toContain('created');
      expect(await get()).toBe('0');
      expect(await ok(['-n', ns, 'apply', '-f', '-'], manifest(row.router, 5))).toContain('configured');
      expect(await get()).toBe('5');
      expect(await ok(['-n', ns, 'get', row.resource])).toContain(row.name);

      const watch = spawn(
        KUBECTL,
        args(['-n', ns, 'get', row.resource, row.name, '-w', '-o', `jsonpath=${row.weight}{"\\n"}`]),
      );
      try {
        const next = linesOf(watch);
        expect(await next()).toBe('5');
        const patch =
          row.router === 'nginx'
            ? { metadata: { annotations: { 'nginx.ingress.kubernetes.io/canary-weight': '20' } } }
            : JSON.parse(manifestPatch(row.router));
        await ok(['-n', ns, 'patch', row.resource, row.name, '--type', 'merge', '-p', JSON.stringify(patch)]);
        expect(await next()).toBe('20');
      } finally {
        watch.kill();
      }
      expect(await get()).toBe('20');
    },
    60_000,
  );
});

/** A merge patch setting the canary to 20 (lists are replaced whole, as RFC 7386 says). */
function manifestPatch(router: Router): string {
  const pair = (key: 'name' | 'service') => [
    { [key]: 'checkout-stable', ...(key === 'name' ? { port: 80 } : {}), weight: 80 },
    { [key]: 'checkout-canary', ...(key === 'name' ? { port: 80 } : {}), weight: 20 },
  ];
  if (router === 'gateway-api') return JSON.stringify({ spec: { rules: [{ backendRefs: pair('name') }] } });
  if (router === 'smi') return JSON.stringify({ spec: { backends: pair('service') } });
  return JSON.stringify({ spec: { weighted: { services: pair('name') } } });
}
