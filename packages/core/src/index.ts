export { canaryReplicasFor } from './capacity.ts';
export { RolloutEngine, toContract, type EngineDeps } from './engine/rollout-engine.ts';
export { DomainError, domainErrorCodes, isDomainError, type DomainErrorCode } from './errors.ts';
export { planAction, stepIndexFor, type ActionPlan, type Operation } from './plan-action.ts';
export {
  systemClock,
  type Clock,
  type HistoryStore,
  type NewEvent,
  type Page,
  type PendingOperation,
  type RolloutChanges,
  type RolloutFilter,
  type StableWorkload,
  type StoredRollout,
  type TargetRef,
  type TrafficRouter,
  type TrafficSplit,
  type Workloads,
  type Written,
} from './ports.ts';
