export * from './events.ts';
export * from './idempotency.ts';
export * from './rollouts.ts';
