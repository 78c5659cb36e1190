import { renderTemplate } from '../template.ts';

export interface BusinessTemplates {
  name: string;
  numerator: string;
  denominator: string;
}

export type Arm = 'canary' | 'stable';
export type BusinessSide = 'numerator' | 'denominator';
export type BusinessWindow = 'step' | 'chart';

/** The label the combined business query tags each piece with, e.g. `canary:numerator:step`. */
export const BUSINESS_PART_LABEL = 'aviary_part';

export const businessPart = (arm: Arm, side: BusinessSide, window: BusinessWindow): string =>
  `${arm}:${side}:${window}`;

export interface BusinessQueryInput {
  namespace: string;
  stableWorkload: string;
  canaryWorkload: string;
  stepWindowSeconds: number;
  chartWindowSeconds: number;
}

/**
 * One query per business metric answering all eight pieces (numerator and denominator, both arms,
 * step and chart windows): each rendered template is tagged with `label_replace` and summed by
 * that tag. Eight round trips become one, and a broken template still fails only its own metric.
 * Rendered templates sit on their own lines so a trailing `# comment` cannot swallow the rest.
 */
export function businessQuery(metric: BusinessTemplates, input: BusinessQueryInput): string {
  const pieces: string[] = [];
  for (const window of ['step', 'chart'] as const) {
    const windowSeconds = window === 'step' ? input.stepWindowSeconds : input.chartWindowSeconds;
    for (const arm of ['canary', 'stable'] as const) {
      const workload = arm === 'canary' ? input.canaryWorkload : input.stableWorkload;
      for (const side of ['numerator', 'denominator'] as const) {
        const promql = renderTemplate(metric[side], { namespace: input.namespace, workload, windowSeconds });
        const part = businessPart(arm, side, window);
        pieces.push(`label_replace(\n${promql}\n, "${BUSINESS_PART_LABEL}", "${part}", "", "")`);
      }
    }
  }
  return `sum by (${BUSINESS_PART_LABEL}) (\n${pieces.join('\nor\n')}\n)`;
}
