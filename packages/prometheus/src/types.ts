/** Label name → value of one series, as Prometheus returns them (`__name__` included when kept). */
export type Labels = Readonly<Record<string, string>>;

/** One series of an instant vector. `value` is parsed from Prometheus' string: NaN and ±Inf survive. */
export interface VectorSample {
  metric: Labels;
  /** Unix seconds (fractional), the evaluation time. */
  timestamp: number;
  value: number;
}

export interface MatrixPoint {
  timestamp: number;
  value: number;
}

export interface MatrixSeries {
  metric: Labels;
  values: MatrixPoint[];
}

export interface VectorResult {
  resultType: 'vector';
  result: VectorSample[];
  warnings: string[];
}

export interface MatrixResult {
  resultType: 'matrix';
  result: MatrixSeries[];
  warnings: string[];
}

export interface ScalarResult {
  resultType: 'scalar';
  result: MatrixPoint;
  warnings: string[];
}

export interface StringResult {
  resultType: 'string';
  result: { timestamp: number; value: string };
  warnings: string[];
}

export type QueryResult = VectorResult | MatrixResult | ScalarResult | StringResult;
