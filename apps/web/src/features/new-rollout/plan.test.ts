import { describe, expect, it } from 'vitest';
import { defaultPlanText, parseSteps } from './plan.ts';

describe('parseSteps', () => {
  it.each([
    [defaultPlanText, { steps: [1, 5, 25, 50, 75, 100] }],
    ['5% 50%  100', { steps: [5, 50, 100] }],
    ['', { error: 'enter at least one step, e.g. 1, 5, 25, 50, 100' }],
    ['5, 5', { error: 'steps must increase' }],
    ['0, 10', { error: 'each step is a whole percent from 1 to 100' }],
    ['2.5', { error: 'each step is a whole percent from 1 to 100' }],
  ])('%j', (text, expected) => expect(parseSteps(text)).toEqual(expected));
});
