import { describe, expect, it } from 'vitest';
import { parseEnvelope } from './envelope.ts';
import { PrometheusError } from './errors.ts';

const json = (v: unknown) => JSON.stringify(v);
const ok = (data: unknown, extra: object = {}) => json({ status: 'success', data, ...extra });

function failure(status: number, body: string, contentType = 'application/json'): PrometheusError {
  try {
    parseEnvelope(status, contentType, body);
  } catch (err) {
    if (err instanceof PrometheusError) return err;
    throw err;
  }
  throw new Error('expected a PrometheusError');
}

describe('parseEnvelope', () => {
  it('parses vector values from strings, including NaN and ±Inf', () => {
    const r = parseEnvelope(
      200,
      'application/json',
      ok({
        resultType: 'vector',
        result: [
          { metric: { destination_workload: 'web' }, value: [1700000000.5, '12.5'] },
          { metric: { destination_workload: 'web-canary' }, value: [1700000000.5, 'NaN'] },
          { metric: { le: '+Inf' }, value: [1700000000.5, '+Inf'] },
          { metric: {}, value: [1700000000.5, '-Inf'] },
        ],
      }),
    );
    expect(r.resultType).toBe('vector');
    if (r.resultType !== 'vector') return;
    expect(r.result.map((s) => s.value)).toEqual([
      12.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(r.result[0]).toEqual({
      metric: { destination_workload: 'web' },
      timestamp: 1700000000.5,
      value: 12.5,
    });
  });

  it('skips native-histogram and malformed samples instead of reading them as 0', () => {
    const r = parseEnvelope(
      200,
      null,
      ok({
        resultType: 'vector',
        result: [
          { metric: { a: '1' }, histogram: [1, { count: '3' }] },
          { metric: { a: '2' }, value: [1, ''] },
          { metric: { a: '3' }, value: [1, '7'] },
        ],
      }),
    );
    expect(r.resultType === 'vector' && r.result.map((s) => s.metric.a)).toEqual(['3']);
  });

  it('parses matrix, scalar and string results and keeps warnings', () => {
    const m = parseEnvelope(
      200,
      null,
      ok(
        {
          resultType: 'matrix',
          result: [
            {
              metric: { job: 'x' },
              values: [
                [1, '1'],
                [2, '+Inf'],
              ],
            },
          ],
        },
        { warnings: ['careful'] },
      ),
    );
    expect(m).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { job: 'x' },
          values: [
            { timestamp: 1, value: 1 },
            { timestamp: 2, value: Number.POSITIVE_INFINITY },
          ],
        },
      ],
      warnings: ['careful'],
    });
    expect(parseEnvelope(200, null, ok({ resultType: 'scalar', result: [3, '0.5'] }))).toEqual({
      resultType: 'scalar',
      result: { timestamp: 3, value: 0.5 },
      warnings: [],
    });
    expect(parseEnvelope(200, null, ok({ resultType: 'string', result: [3, 'hi'] }))).toEqual({
      resultType: 'string',
      result: { timestamp: 3, value: 'hi' },
      warnings: [],
    });
  });

  it.each([
    ['bad_data', 400, 'bad_data'],
    ['execution', 422, 'execution'],
    ['timeout', 503, 'timeout'],
    ['canceled', 503, 'timeout'],
    ['unavailable', 503, 'unavailable'],
    ['internal', 500, 'unavailable'],
    ['not_found', 404, 'http'],
  ] as const)(
    'maps errorType %s (HTTP %i) to kind %s with Prometheus’ message',
    (errorType, status, kind) => {
      const err = failure(status, json({ status: 'error', errorType, error: `it said ${errorType}` }));
      expect(err.kind).toBe(kind);
      expect(err.status).toBe(status);
      expect(err.errorType).toBe(errorType);
      expect(err.message).toBe(`it said ${errorType}`);
      expect(err.rejectedQuery).toBe(kind === 'bad_data' || kind === 'execution');
    },
  );

  it('does not trip over errorType names that exist on Object.prototype', () => {
    expect(failure(500, json({ status: 'error', errorType: 'constructor', error: 'x' })).kind).toBe('http');
  });

  it('turns non-API bodies into errors that say what came back', () => {
    const gateway = failure(502, '<html>Bad Gateway</html>', 'text/html');
    expect(gateway.kind).toBe('unavailable');
    expect(gateway.message).toContain('HTTP 502 (text/html): <html>Bad Gateway</html>');
    const login = failure(200, '<html>please log in</html>', 'text/html');
    expect(login.kind).toBe('http');
    expect(login.status).toBe(200);
    expect(failure(401, 'Unauthorized', 'text/plain').kind).toBe('http');
    expect(failure(200, json({ hello: 'world' })).kind).toBe('http');
    expect(failure(200, ok({ resultType: 'vector', result: 'nope' })).message).toContain('malformed');
  });
});
