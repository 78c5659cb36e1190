export { startSandbox, type Endpoints, type Sandbox, type SandboxOptions } from './sandbox.ts';
export { seedNamespace, seedObjects, seedProfile, seedServices, stableImage } from './seed.ts';
export { findPrometheusBinary, installHint as prometheusInstallHint } from './prometheus/runner.ts';
