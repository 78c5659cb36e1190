export { allowedActions, type AllowedActionsInput, type Screening } from './allowed-actions.ts';
export { canaryReplicasFor } from './capacity.ts';
export { chooseStep, downsample, maxPointsPerSeries } from './charts/downsample.ts';
export { currentStepStart, weightSeries } from './charts/weight-series.ts';
export { gateSnapshot } from './engine/gate-rule.ts';
export { auditedState } from './engine/events.ts';
export { rolloutSummary } from './engine/rollout-summary.ts';
export { RolloutEngine, toContract, type ActOptions, type EngineDeps } from './engine/rollout-engine.ts';
export { describeChecks, type CheckContext } from './gates/describe-checks.ts';
export { clopperPearsonUpper, UPPER_BOUND_CONFIDENCE } from './gates/upper-bound.ts';
export {
  DEFAULT_ALPHA,
  DEFAULT_BETA,
  evaluateGate,
  type GateInput,
  type RawRatio,
} from './gates/evaluate-gate.ts';
export { ceilingBreached } from './gates/proportion-check.ts';
export {
  mixtureAlternatives,
  mixtureLogLr,
  mixtureLowerBound,
  mixtureSamplesToBound,
} from './gates/mixture.ts';
export { failNull, hypotheses, judgeShare } from './gates/sequential-test.ts';
export {
  bernoulliLlr,
  canarySampleSize,
  erf,
  erfc,
  fisherExactOneSided,
  logGamma,
  normalCdf,
  normalQuantile,
  sprtBounds,
  sprtDrift,
  sprtExpectedSamples,
  twoProportionZTest,
  wilsonInterval,
  type SprtBounds,
} from './gates/statistics.ts';
export { DomainError, isDomainError, type DomainErrorCode } from './errors.ts';
export {
  type Allowlists,
  assertImageAllowed,
  assertNamespaceAllowed,
  imageRepository,
  parseList,
  type Frozen,
  formatLocal,
  frozenAt,
  isPromotion,
  needsApproval,
  raisesTo,
  startIsPromotion,
  windowAt,
} from './policies/index.ts';
export { planAction, stepIndexFor, type ActionPlan, type Operation } from './plan-action.ts';
export {
  systemClock,
  type AuditContext,
  type Clock,
  type GateKeeper,
  type MetricPointStore,
  type ProfileStore,
  type HistoryStore,
  type NewAuditRecord,
  type NewEvent,
  type Page,
  type PendingOperation,
  type RolloutChanges,
  type RolloutFilter,
  type StableWorkload,
  type StoredRollout,
  type TargetRef,
  type TargetResolver,
  type TrafficRouter,
  type TrafficSplit,
  type Workloads,
  type Written,
} from './ports.ts';
