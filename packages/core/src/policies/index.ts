export { isPromotion, needsApproval, raisesTo, startIsPromotion } from './approval.ts';
export { type Frozen, formatLocal, frozenAt, windowAt } from './freeze.ts';
