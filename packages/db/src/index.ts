export { type AviaryDb, createDb, createTestDb, type Db } from './client.ts';
export { type IdempotencyBegin, IdempotencyRepo } from './idempotency.repo.ts';
export { SqliteHistoryStore } from './rollouts.repo.ts';
export { SqliteMetricPointStore } from './metric-points.repo.ts';
export { SqliteProfileStore } from './profiles.repo.ts';
