import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_MS, IstioMetrics, destinationLabels } from './metrics.ts';

describe('Istio standard metrics', () => {
  it('exposes istio_requests_total and the ms histogram with Istio labels and buckets', async () => {
    const m = new IstioMetrics();
    const dest = destinationLabels({
      service: { name: 'checkout', namespace: 'shop' },
      pod: { namespace: 'shop', workload: 'checkout-canary', labels: { app: 'checkout', version: 'canary' } },
    });
    m.record('destination', 'loadgen', dest, 200, '-', 42);
    m.record('destination', 'loadgen', dest, 200, '-', 7);
    m.record(
      'source',
      'loadgen',
      destinationLabels({ service: { name: 'checkout', namespace: 'shop' } }),
      503,
      'UH',
      0.2,
    );
    const text = await m.metrics();

    const line = (prefix: string) =>
      text.split('\n').find((l) => l.startsWith(prefix) && l.includes('reporter="destination"'));
    const counter = line('istio_requests_total{');
    expect(counter).toMatch(/ 2$/);
    for (const label of [
      'destination_workload="checkout-canary"',
      'destination_workload_namespace="shop"',
      'destination_version="canary"',
      'destination_app="checkout"',
      'destination_service="checkout.shop.svc.cluster.local"',
      'destination_service_name="checkout"',
      'destination_service_namespace="shop"',
      'source_workload="loadgen"',
      'response_code="200"',
      'response_flags="-"',
      'request_protocol="http"',
    ]) {
      expect(counter).toContain(label);
    }
    expect(text).toMatch(
      /istio_request_duration_milliseconds_bucket\{[^}]*le="10"[^}]*reporter="destination"[^}]*\} 1\n|istio_request_duration_milliseconds_bucket\{[^}]*reporter="destination"[^}]*le="10"\} 1\n/,
    );
    expect(text).toMatch(/istio_request_duration_milliseconds_sum\{[^}]*reporter="destination"[^}]*\} 49\n/);
    const les = [...text.matchAll(/_bucket\{[^}]*reporter="destination"[^}]*\}/g)].map(
      (x) => /le="([^"]+)"/.exec(x[0])![1],
    );
    expect(les).toEqual([...DURATION_BUCKETS_MS.map(String), '+Inf']);

    const uh = text
      .split('\n')
      .find((l) => l.startsWith('istio_requests_total{') && l.includes('response_flags="UH"'));
    expect(uh).toContain('reporter="source"');
    expect(uh).toContain('destination_workload="unknown"');
    expect(uh).toContain('response_code="503"');
  });
});
