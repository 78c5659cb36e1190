import { describe, expect, it } from 'vitest';
import { meshQueries } from './index.ts';

const input = { namespace: 'shop-x', stableWorkload: 'web', canaryWorkload: 'web-canary', window: 60 };

describe('metrics sources', () => {
  it('has a source for every router data plane and the app itself', () => {
    expect(Object.keys(meshQueries).sort()).toEqual(['app', 'istio', 'linkerd', 'nginx', 'traefik']);
  });

  it('Linkerd: inbound response_total by deployment, failures by classification, ms buckets', () => {
    const q = meshQueries.linkerd;
    const sel = 'direction="inbound",namespace="shop-x",deployment=~"web|web-canary"';
    expect(q.workloadLabel).toBe('deployment');
    expect(q.arms).toBeUndefined();
    expect(q.latencyUnitMs).toBe(1);
    expect(q.serverErrors(input)).toBe(
      `sum by (deployment) (increase(response_total{${sel},classification="failure"}[60s]))`,
    );
    expect(q.latencyBuckets(input)).toBe(
      `sum by (deployment, le) (increase(response_latency_ms_bucket{${sel}}[60s]))`,
    );
  });

  it("app: the application counters by the pods' version label, seconds buckets", () => {
    const q = meshQueries.app;
    expect(q.workloadLabel).toBe('version');
    expect(q.arms?.(input)).toEqual({ canary: 'canary', stable: 'stable' });
    expect(q.latencyUnitMs).toBe(1000);
    expect(q.requests(input)).toBe(
      'sum by (version) (increase(http_requests_total{namespace="shop-x",workload=~"web|web-canary"}[60s]))',
    );
    expect(q.latencyBuckets(input)).toContain('http_request_duration_seconds_bucket');
  });

  it('NGINX: the canary label, empty for the main backend, becomes the arm', () => {
    const q = meshQueries.nginx;
    expect(q.workloadLabel).toBe('aviary_arm');
    expect(q.latencyUnitMs).toBe(1000);
    expect(q.requests(input)).toBe(
      'sum by (aviary_arm) (label_replace(label_replace(sum by (canary) (increase(nginx_ingress_controller_requests{namespace="shop-x",service=~"web|web-stable"}[60s])), "aviary_arm", "stable", "canary", ""), "aviary_arm", "canary", "canary", ".+"))',
    );
    expect(q.latencyBuckets(input)).toMatch(
      /^sum by \(aviary_arm, le\) \(label_replace\(label_replace\(sum by \(canary, le\)/,
    );
  });

  it('Traefik: each arm is its Service in the service label', () => {
    const q = meshQueries.traefik;
    const re = 'shop-x-web-(stable|canary)-[0-9a-z]+@kubernetescrd';
    expect(q.serverErrors(input)).toBe(
      `sum by (aviary_arm) (label_replace(sum by (service) (increase(traefik_service_requests_total{service=~"${re}",code=~"5.."}[60s])), "aviary_arm", "$1", "service", "${re}"))`,
    );
    expect(q.errorShare(input)).toMatch(
      /^\(sum by \(aviary_arm\) .* or 0 \* sum by \(aviary_arm\) .*\) \/ sum by \(aviary_arm\)/,
    );
  });

  it('escapes names in every source', () => {
    const odd = { ...input, namespace: 'a"b', stableWorkload: 'w.1', canaryWorkload: 'w.1-canary' };
    for (const q of Object.values(meshQueries)) {
      const promql = q.requests(odd);
      expect(promql).not.toContain('a"b');
      expect(promql).toContain('w\\\\.1');
    }
  });
});
