export { startSandbox, type Endpoints, type Sandbox, type SandboxOptions } from './sandbox.ts';
export { seedObjects, seedNamespace, seedServices, stableImage } from './seed.ts';
export { findPrometheusBinary, installHint as prometheusInstallHint } from './prometheus/runner.ts';
