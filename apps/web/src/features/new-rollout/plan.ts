import { defaultSteps } from '@aviary/contracts';

/** Parse "1, 5, 25, 100" into a plan, or say what is wrong with it. */
export function parseSteps(text: string): { steps: number[] } | { error: string } {
  const parts = text
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/%$/, ''))
    .filter(Boolean);
  if (parts.length === 0) return { error: 'enter at least one step, e.g. 1, 5, 25, 50, 100' };
  const steps = parts.map(Number);
  if (steps.some((s) => !Number.isInteger(s) || s < 1 || s > 100))
    return { error: 'each step is a whole percent from 1 to 100' };
  if (steps.some((s, i) => i > 0 && s <= (steps[i - 1] ?? 0))) return { error: 'steps must increase' };
  if (steps.length > 20) return { error: 'at most 20 steps' };
  return { steps };
}

export const defaultPlanText = defaultSteps.join(', ');
