import { PrometheusError } from './errors.ts';
import type { PrometheusQuerier } from './client.ts';
import { TemplateError, type TemplateVars, renderTemplate } from './template.ts';

export type QueryValidation = { ok: true } | { ok: false; message: string };

/**
 * Ask Prometheus itself whether a business metric template runs: render it, evaluate it once.
 * A rejected query (bad_data, execution) or a bad template is `ok: false` with the message to show
 * the user (a 4xx). Prometheus failing to answer is thrown as a PrometheusError (`unreachable`,
 * `timeout`, …) so the caller answers 503 instead of blaming the query.
 */
export async function validateQuery(
  client: PrometheusQuerier,
  template: string,
  vars: TemplateVars,
): Promise<QueryValidation> {
  let promql: string;
  try {
    promql = renderTemplate(template, vars);
  } catch (err) {
    if (err instanceof TemplateError) return { ok: false, message: err.message };
    throw err;
  }
  try {
    const result = await client.query(promql);
    // sampleRollout tags each arm's result with label_replace, which only takes an instant vector.
    if (result.resultType !== 'vector') {
      return {
        ok: false,
        message: `the query returns a ${result.resultType}; it must return an instant vector, e.g. sum(increase(…[{{window}}]))`,
      };
    }
    return { ok: true };
  } catch (err) {
    if (err instanceof PrometheusError && err.rejectedQuery) return { ok: false, message: err.message };
    throw err;
  }
}
