import { parseEnvelope } from './envelope.ts';
import { PrometheusError } from './errors.ts';
import type { MatrixResult, QueryResult } from './types.ts';

export interface PrometheusClientOptions {
  /** Base URL, e.g. `http://prometheus.monitoring:9090` or one with a path prefix. `user:pass@` becomes basic auth. */
  url: string;
  /** Per request, including reading the body. Flagger uses 5 s too. */
  timeoutMs?: number;
  /** Extra headers on every request, e.g. `{ authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** What sampling and validation need from a client; tests pass a fake. */
export type PrometheusQuerier = Pick<PrometheusClient, 'query'>;

// Proxies in front of Prometheus often cap request lines at 4–8 KiB; past this, POST the form.
const MAX_GET_PARAMS_LENGTH = 2_000;

/**
 * Prometheus' HTTP API. Every failure is a PrometheusError: Prometheus' own
 * `error` and status when it answered, `unreachable`/`timeout` when it did not.
 */
export class PrometheusClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;

  constructor(opts: PrometheusClientOptions) {
    const url = new URL(opts.url);
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    // fetch() refuses URLs with credentials, so they travel as a header instead.
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.base = url.toString().replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.headers = headers;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** Instant query at `time` (default: Prometheus' now). */
  query(promql: string, time?: Date): Promise<QueryResult> {
    const params = new URLSearchParams({ query: promql });
    if (time) params.set('time', unixSeconds(time));
    return this.api('/api/v1/query', params);
  }

  /** Range query; Prometheus rejects a step ≤ 0 or more than 11,000 points per series (bad_data). */
  async queryRange(promql: string, start: Date, end: Date, stepSeconds: number): Promise<MatrixResult> {
    const params = new URLSearchParams({
      query: promql,
      start: unixSeconds(start),
      end: unixSeconds(end),
      step: String(stepSeconds),
    });
    const result = await this.api('/api/v1/query_range', params);
    if (result.resultType !== 'matrix') {
      throw new PrometheusError(
        'http',
        `malformed Prometheus API response: a range query returned a ${result.resultType}`,
      );
    }
    return result;
  }

  /** True once Prometheus answers `/-/ready` with 200 (it answers 503 while replaying its WAL). */
  async ready(): Promise<boolean> {
    try {
      const res = await this.fetchFn(`${this.base}/-/ready`, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  private async api(path: string, params: URLSearchParams): Promise<QueryResult> {
    // Ask Prometheus to give up when we do, so an abandoned query stops using its CPU.
    params.set('timeout', String(this.timeoutMs / 1000));
    const encoded = params.toString();
    const post = encoded.length > MAX_GET_PARAMS_LENGTH;
    const init: RequestInit = {
      method: post ? 'POST' : 'GET',
      headers: post ? { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' } : this.headers,
      signal: AbortSignal.timeout(this.timeoutMs),
    };
    if (post) init.body = encoded;
    try {
      const res = await this.fetchFn(post ? `${this.base}${path}` : `${this.base}${path}?${encoded}`, init);
      const body = await res.text();
      return parseEnvelope(res.status, res.headers.get('content-type'), body);
    } catch (err) {
      throw this.asPrometheusError(err);
    }
  }

  private asPrometheusError(err: unknown): PrometheusError {
    if (err instanceof PrometheusError) return err;
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new PrometheusError(
        'timeout',
        `Prometheus at ${this.base} did not answer within ${this.timeoutMs} ms`,
      );
    }
    return new PrometheusError('unreachable', `cannot reach Prometheus at ${this.base}: ${causeOf(err)}`);
  }
}

function unixSeconds(date: Date): string {
  return String(date.getTime() / 1000);
}

/** undici wraps the socket error (ECONNREFUSED, ENOTFOUND) as `cause` of a bare "fetch failed". */
function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return err.message;
}
