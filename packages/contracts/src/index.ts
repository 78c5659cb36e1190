export * from './api.ts';
export * from './errors.ts';
export * from './gates.ts';
export * from './rollouts.ts';
export * from './routers.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './policies.ts';
