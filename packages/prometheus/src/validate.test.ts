import { describe, expect, it } from 'vitest';
import { PrometheusError } from './errors.ts';
import type { PrometheusQuerier } from './client.ts';
import type { QueryResult } from './types.ts';
import { validateQuery } from './validate.ts';

const vars = { namespace: 'shop', workload: 'web', windowSeconds: 300 };
const answering = (result: QueryResult | Error) => {
  const seen: string[] = [];
  const client: PrometheusQuerier = {
    query: async (promql) => {
      seen.push(promql);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { client, seen };
};

describe('validateQuery', () => {
  it('accepts a template that evaluates to a vector, even an empty one', async () => {
    const { client, seen } = answering({ resultType: 'vector', result: [], warnings: [] });
    expect(await validateQuery(client, 'sum(x{w="{{workload}}"}[{{window}}])', vars)).toEqual({ ok: true });
    expect(seen).toEqual(['sum(x{w="web"}[300s])']);
  });

  it("returns Prometheus' message when it rejects the query", async () => {
    const { client } = answering(new PrometheusError('execution', 'many-to-many matching not allowed', 422));
    expect(await validateQuery(client, 'x{w="{{workload}}"}', vars)).toEqual({
      ok: false,
      message: 'many-to-many matching not allowed',
    });
  });

  it('rejects bad templates and non-vector results before they reach a gate', async () => {
    const { client, seen } = answering({
      resultType: 'scalar',
      result: { timestamp: 0, value: 1 },
      warnings: [],
    });
    expect(await validateQuery(client, 'x{w="{{pod}}"}', vars)).toMatchObject({ ok: false });
    expect(seen).toEqual([]);
    const scalar = await validateQuery(client, 'scalar(x{w="{{workload}}"})', vars);
    expect(scalar).toMatchObject({ ok: false, message: expect.stringContaining('instant vector') });
  });

  it('throws when Prometheus cannot answer, so the caller says 503 rather than blaming the query', async () => {
    const { client } = answering(new PrometheusError('unreachable', 'cannot reach Prometheus'));
    await expect(validateQuery(client, 'x{w="{{workload}}"}', vars)).rejects.toMatchObject({
      kind: 'unreachable',
    });
  });
});
