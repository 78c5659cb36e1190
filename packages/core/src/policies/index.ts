export { isPromotion, needsApproval } from './approval.ts';
export { type Frozen, formatLocal, frozenAt, windowAt } from './freeze.ts';
