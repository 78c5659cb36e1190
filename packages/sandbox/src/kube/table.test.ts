import { describe, expect, it } from 'vitest';
import { humanAge } from './table.ts';
import { type TestServer, deployment, namespace, startTestServer } from './testing.ts';

describe('humanAge', () => {
  const now = Date.parse('2025-01-10T00:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
  it.each([
    [5, '5s'],
    [119, '119s'],
    [330, '5m30s'],
    [600, '10m'],
    [3 * 3600 + 120, '3h2m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 3600, '3d1h'],
    [40 * 86400, '40d'],
  ])('%is ago is %s', (seconds, expected) => {
    expect(humanAge(ago(seconds), now)).toBe(expected);
  });
});

describe('Table output', () => {
  let t: TestServer;
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

  it('prints Deployments with kubectl columns when asked for a Table, plain objects otherwise', async () => {
    t = await startTestServer();
    await t.api('POST', '/api/v1/namespaces', namespace('shop'));
    await t.api('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('web', { replicas: 3 }));
    const res = await fetch(`${t.url}/apis/apps/v1/namespaces/shop/deployments`, { headers: { accept } });
    const table = (await res.json()) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: unknown }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers',
      'Images',
      'Selector',
    ]);
    expect(table.rows[0]?.cells.slice(0, 4)).toEqual(['web', '0/3', 0, 0]);
    expect(table.rows[0]?.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'web' } });
    expect((await t.api('GET', '/apis/apps/v1/namespaces/shop/deployments/web')).body.kind).toBe(
      'Deployment',
    );
    await t.close();
  });
});
