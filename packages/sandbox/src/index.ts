export { startSandbox, type Endpoints, type Sandbox, type SandboxOptions } from './sandbox.ts';
export {
  allSeedObjects,
  routerNamespaces,
  routerSeedObjects,
  routerService,
  seedNamespace,
  seedObjects,
  seedProfile,
  seedServices,
  seededServices,
  stableImage,
} from './seed.ts';
export { findPrometheusBinary, installHint as prometheusInstallHint } from './prometheus/runner.ts';
