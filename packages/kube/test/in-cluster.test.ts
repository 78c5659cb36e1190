import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClients } from '../src/client.ts';

// A pod's view of its API server: KUBERNETES_SERVICE_HOST/PORT, and the service account's token,
// CA and namespace in files. The server here is HTTPS with a certificate from its own CA (made
// with openssl), and answers /version only to the pod's bearer token.
const dir = mkdtempSync(join(tmpdir(), 'aviary-in-cluster-'));
const accountDir = join(dir, 'var/run/secrets/kubernetes.io/serviceaccount');
const token = 'pod-service-account-token';
let server: Server;
let seen: string | undefined;
const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };

function openssl(...args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

beforeAll(async () => {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=kubernetes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  );
  mkdirSync(accountDir, { recursive: true });
  writeFileSync(join(accountDir, 'token'), token);
  writeFileSync(join(accountDir, 'ca.crt'), readFileSync(join(dir, 'ca.crt')));
  writeFileSync(join(accountDir, 'namespace'), 'aviary');
  server = createServer(
    { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')) },
    (req, res) => {
      seen = req.headers.authorization;
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","code":401}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0' }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
  process.env.KUBERNETES_SERVICE_PORT = String((server.address() as AddressInfo).port);
}, 60_000);

afterAll(async () => {
  for (const [key, value] of [
    ['KUBERNETES_SERVICE_HOST', saved.host],
    ['KUBERNETES_SERVICE_PORT', saved.port],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('in a pod (no kubeconfig)', () => {
  it('talks HTTPS to KUBERNETES_SERVICE_HOST:PORT, trusting the service account CA, with its token', async () => {
    const kube = createKubeClients({ serviceAccountRoot: dir });
    expect(kube.server).toBe(`https://127.0.0.1:${process.env.KUBERNETES_SERVICE_PORT}`);
    const version = await kube.version.getCode();
    expect(version.gitVersion).toBe('v1.32.0');
    expect(seen).toBe(`Bearer ${token}`);
    expect(kube.config.getContextObject(kube.config.getCurrentContext())?.namespace).toBe('aviary');
  });

  it('refuses a server whose certificate its CA did not sign', async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=other-ca',
      '-keyout',
      'other.key',
      '-out',
      'other.crt',
    );
    writeFileSync(join(accountDir, 'ca.crt'), readFileSync(join(dir, 'other.crt')));
    const kube = createKubeClients({ serviceAccountRoot: dir });
    await expect(kube.version.getCode()).rejects.toThrow(/certificate/i);
  });
});
