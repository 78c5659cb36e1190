export { isPromotion, needsApproval, raisesTo, startIsPromotion } from './approval.ts';
export { type Frozen, formatLocal, frozenAt, windowAt } from './freeze.ts';
export {
  type Allowlists,
  assertImageAllowed,
  assertNamespaceAllowed,
  imageRepository,
  parseList,
} from './allowlist.ts';
