export { PrometheusClient, type PrometheusClientOptions, type PrometheusQuerier } from './client.ts';
export {
  PrometheusError,
  isPrometheusError,
  prometheusErrorKinds,
  type PrometheusErrorKind,
} from './errors.ts';
export {
  histogramQuantile,
  normalizeBuckets,
  percentiles,
  slowRequests,
  type Bucket,
  type Percentiles,
  type SlowRequests,
} from './histogram.ts';
export { bucketsByLabel, byLabel, firstValue } from './parse.ts';
export { escapeStringBody, promString, rangeSeconds, regexEscape } from './promql.ts';
export { businessQuery, type BusinessQueryInput, type BusinessTemplates } from './queries/business.ts';
export {
  istioQueries,
  meshQueries,
  type MeshProvider,
  type MeshQueries,
  type RolloutQueryInput,
} from './queries/index.ts';
export {
  sampleRollout,
  type BusinessCounts,
  type ChartPoint,
  type RolloutSample,
  type SampleSpec,
} from './sample.ts';
export { TemplateError, renderTemplate, type TemplateVars } from './template.ts';
export type {
  Labels,
  MatrixPoint,
  MatrixResult,
  MatrixSeries,
  QueryResult,
  ScalarResult,
  StringResult,
  VectorResult,
  VectorSample,
} from './types.ts';
export { validateQuery, type QueryValidation } from './validate.ts';
