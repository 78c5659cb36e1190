export * from './events.ts';
export * from './idempotency.ts';
export * from './rollouts.ts';
export * from './metric-points.ts';
export * from './target-profiles.ts';
