import type {
  AllowedAction,
  CheckResult,
  GateResult,
  MetricPoint,
  MetricsResponse,
  Rollout,
  RolloutEvent,
} from '@aviary/contracts';

/** Realistic API answers for tests, each overridable. */
export const rolloutFixture = (over: Partial<Rollout> = {}): Rollout => ({
  id: 'r1',
  target: { namespace: 'shop', service: 'checkout', router: 'gateway-api' },
  stableImage: 'registry.local/shop/checkout:1.0.0',
  canaryImage: 'registry.local/shop/checkout:1.1.0',
  phase: 'progressing',
  weight: 5,
  stepIndex: 1,
  steps: [1, 5, 25, 50, 75, 100],
  version: 3,
  operation: null,
  reason: 'ship the new cart',
  createdBy: 'admin',
  createdAt: '2025-01-01T10:00:00.000Z',
  updatedAt: '2025-01-01T10:05:00.000Z',
  ...over,
});

export const checkFixture = (over: Partial<CheckResult> = {}): CheckResult => ({
  name: 'error-rate',
  kind: 'error-rate',
  verdict: 'pass',
  canary: 0.002,
  stable: 0.0021,
  canaryCounts: { bad: 2, total: 1000 },
  stableCounts: { bad: 40, total: 19000 },
  tolerance: 0.005,
  llr: -3,
  bounds: { fail: 4.6, pass: -2.9 },
  pValue: 0.8,
  samplesNeeded: null,
  secondsToSignificance: null,
  explanation: 'canary 0.20% vs stable 0.21% (+0.5 pt allowed) → pass',
  ...over,
});

export const gateFixture = (over: Partial<GateResult> = {}): GateResult => ({
  verdict: 'pass',
  evaluatedAt: '2025-01-01T10:05:00.000Z',
  stepStartedAt: '2025-01-01T10:00:00.000Z',
  bakeSecondsRemaining: 0,
  canaryRequestRate: 2,
  checks: [
    checkFixture({
      name: 'bake-time',
      kind: 'bake-time',
      canaryCounts: null,
      stableCounts: null,
      tolerance: null,
      pValue: null,
      explanation: 'baked 5m of 1m → pass',
    }),
    checkFixture({
      name: 'sample-size',
      kind: 'sample-size',
      canaryCounts: null,
      stableCounts: null,
      tolerance: null,
      pValue: null,
      explanation: '1,000 canary requests → pass',
    }),
    checkFixture(),
    checkFixture({
      name: 'latency',
      kind: 'latency',
      tolerance: 0.05,
      explanation: 'slow share 5% vs 5% → pass',
    }),
  ],
  summary: 'pass — baked 5m, 1,000 canary requests, and error-rate, latency within tolerance',
  ...over,
});

export const pointFixture = (
  at: string,
  arm: MetricPoint['arm'],
  over: Partial<MetricPoint> = {},
): MetricPoint => ({
  at,
  arm,
  requestRate: 20,
  errorRate: 0.002,
  p50: 30,
  p95: 55,
  p99: 70,
  business: { 'checkout-conversion': 0.6 },
  ...over,
});

export const metricsFixture = (over: Partial<MetricsResponse> = {}): MetricsResponse => ({
  rolloutId: 'r1',
  from: '2025-01-01T10:00:00.000Z',
  to: '2025-01-01T10:00:20.000Z',
  step: 10,
  canary: [pointFixture('2025-01-01T10:00:10.000Z', 'canary', { errorRate: 0.01 })],
  stable: [
    pointFixture('2025-01-01T10:00:00.000Z', 'stable'),
    pointFixture('2025-01-01T10:00:10.000Z', 'stable'),
  ],
  weight: [
    { at: '2025-01-01T10:00:00.000Z', weight: 1 },
    { at: '2025-01-01T10:00:15.000Z', weight: 5 },
  ],
  annotations: [
    { at: '2025-01-01T10:00:15.000Z', action: 'step', actor: 'admin', reason: 'looks good', toWeight: 5 },
  ],
  thresholds: { errorRate: 0.05, latencyMs: 100 },
  ...over,
});

export const eventFixture = (over: Partial<RolloutEvent> = {}): RolloutEvent => ({
  id: 1,
  rolloutId: 'r1',
  at: '2025-01-01T10:00:00.000Z',
  actor: 'admin',
  action: 'created',
  fromWeight: null,
  toWeight: 1,
  fromPhase: null,
  toPhase: 'starting',
  reason: 'ship the new cart',
  details: null,
  ...over,
});

export const approvalFixture = (over: Partial<import('@aviary/contracts').Approval> = {}) => ({
  id: 'a1',
  rolloutId: 'r1',
  namespace: 'shop',
  service: 'checkout',
  action: { type: 'promote' as const, reason: 'numbers look good', expectedVersion: 3 },
  requestedBy: 'olga',
  requestedAt: '2025-01-01T10:06:00.000Z',
  expiresAt: '2025-01-02T10:06:00.000Z',
  status: 'pending' as const,
  decidedBy: null,
  decidedAt: null,
  ...over,
});

export const policyFixture = (
  over: Partial<import('@aviary/contracts').TargetPolicyView> = {},
): import('@aviary/contracts').TargetPolicyView => ({
  namespace: 'shop',
  service: 'checkout',
  requireApproval: false,
  freezeWindows: [],
  promotionThreshold: 50,
  updatedAt: null,
  updatedBy: null,
  frozen: null,
  ...over,
});

/** An allowed-actions answer: every action allowed unless overridden per type. */
export const allowedFixture = (
  over: Partial<Record<AllowedAction['type'], Partial<AllowedAction>>> = {},
): AllowedAction[] =>
  (['step', 'set-weight', 'pause', 'resume', 'promote', 'rollback'] as const).map((type) => ({
    type,
    allowed: type !== 'resume',
    reason: type === 'resume' ? 'rollout r1 is progressing, not paused; nothing to resume' : null,
    code: type === 'resume' ? 'rollout-not-paused' : null,
    toWeight: type === 'step' ? 25 : type === 'promote' ? 100 : type === 'rollback' ? 0 : null,
    needsOverride: false,
    needsApproval: false,
    needsReason: type === 'rollback',
    ...over[type],
  }));

/** The same, as the gate of `verdict` would have the API answer: stepping up needs an override unless it passed. */
export const allowedForVerdict = (verdict: GateResult['verdict']): AllowedAction[] => {
  const gated = verdict !== 'pass';
  const o = { needsOverride: gated, needsReason: gated };
  return allowedFixture({ step: o, promote: o, 'set-weight': o });
};
