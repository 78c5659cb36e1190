import { PrometheusError, type PrometheusErrorKind } from './errors.ts';
import { parseSampleValue } from './sample-value.ts';
import type { Labels, MatrixPoint, MatrixSeries, QueryResult, VectorSample } from './types.ts';

/** Prometheus' `errorType` → what it means to a caller. */
const kindByErrorType = new Map<string, PrometheusErrorKind>([
  ['bad_data', 'bad_data'],
  ['execution', 'execution'],
  ['timeout', 'timeout'],
  ['canceled', 'timeout'],
  ['unavailable', 'unavailable'],
  // A 500 from Prometheus itself: it cannot answer now, which is "no data", not the user's fault.
  ['internal', 'unavailable'],
]);

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turn one HTTP answer from `/api/v1/query` or `/api/v1/query_range` into a typed result, or a
 * PrometheusError carrying Prometheus' own message and the status. Bodies that are not the API's
 * JSON envelope (an auth proxy's HTML page, a gateway's 502) still become PrometheusErrors.
 */
export function parseEnvelope(status: number, contentType: string | null, body: string): QueryResult {
  let json: Json;
  try {
    json = JSON.parse(body);
  } catch {
    throw notAnEnvelope(status, contentType, body);
  }
  if (!isObject(json) || (json.status !== 'success' && json.status !== 'error')) {
    throw notAnEnvelope(status, contentType, body);
  }
  if (json.status === 'error') {
    const errorType = typeof json.errorType === 'string' ? json.errorType : null;
    const message = typeof json.error === 'string' && json.error !== '' ? json.error : `HTTP ${status}`;
    const kind = (errorType !== null ? kindByErrorType.get(errorType) : undefined) ?? 'http';
    throw new PrometheusError(kind, message, status, errorType);
  }
  const warnings = Array.isArray(json.warnings) ? json.warnings.filter((w) => typeof w === 'string') : [];
  return parseData(json.data, status, warnings);
}

function parseData(data: Json, status: number, warnings: string[]): QueryResult {
  if (!isObject(data)) throw malformed(status, 'no "data" object');
  const { resultType, result } = data;
  switch (resultType) {
    case 'vector':
      if (!Array.isArray(result)) break;
      return { resultType, result: result.flatMap(vectorSample), warnings };
    case 'matrix':
      if (!Array.isArray(result)) break;
      return { resultType, result: result.map((s) => matrixSeries(s, status)), warnings };
    case 'scalar': {
      const point = pointOf(result);
      if (!point) break;
      return { resultType, result: point, warnings };
    }
    case 'string':
      if (!Array.isArray(result) || typeof result[1] !== 'string') break;
      return { resultType, result: { timestamp: Number(result[0]), value: result[1] }, warnings };
  }
  throw malformed(status, `unexpected result of type ${String(resultType)}`);
}

/**
 * Native-histogram samples carry `histogram` instead of `value`; Aviary reads classic `_bucket`
 * series only, so they are skipped rather than misread as a number.
 */
function vectorSample(raw: Json): VectorSample[] {
  if (!isObject(raw)) return [];
  const point = pointOf(raw.value);
  return point ? [{ metric: labelsOf(raw.metric), ...point }] : [];
}

function matrixSeries(raw: Json, status: number): MatrixSeries {
  if (!isObject(raw)) throw malformed(status, 'a matrix series is not an object');
  const values = Array.isArray(raw.values) ? raw.values : [];
  return {
    metric: labelsOf(raw.metric),
    values: values.map(pointOf).filter((p): p is MatrixPoint => p !== undefined),
  };
}

function pointOf(raw: Json): MatrixPoint | undefined {
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  const timestamp = Number(raw[0]);
  const value = parseSampleValue(raw[1]);
  if (!Number.isFinite(timestamp) || value === undefined) return undefined;
  return { timestamp, value };
}

function labelsOf(raw: Json): Labels {
  if (!isObject(raw)) return {};
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) if (typeof value === 'string') labels[name] = value;
  return labels;
}

function malformed(status: number, why: string): PrometheusError {
  return new PrometheusError('http', `malformed Prometheus API response: ${why}`, status);
}

function notAnEnvelope(status: number, contentType: string | null, body: string): PrometheusError {
  // A gateway in front of Prometheus saying the backend is gone is an outage, not a protocol error.
  const kind: PrometheusErrorKind =
    status === 502 || status === 503 || status === 504 ? 'unavailable' : 'http';
  const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const what = `HTTP ${status}${contentType ? ` (${contentType})` : ''}`;
  return new PrometheusError(
    kind,
    `expected a Prometheus API response, got ${what}${snippet ? `: ${snippet}` : ''}; check the Prometheus URL`,
    status,
  );
}
