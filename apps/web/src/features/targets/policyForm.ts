import {
  type FreezeWindow,
  TargetPolicy,
  type TargetPolicyView,
  defaultPromotionThreshold,
  type weekdays,
} from '@aviary/contracts';
import { isApiError } from '../../api/ApiError.ts';

export type Day = (typeof weekdays)[number];

/** The editor's state: every field a string as typed, checked on save. */
export interface WindowDraft {
  timezone: string;
  startDay: Day;
  startTime: string;
  endDay: Day;
  endTime: string;
  reason: string;
}

export interface PolicyDraft {
  requireApproval: boolean;
  /** Percent, as typed. */
  promotionThreshold: string;
  windows: WindowDraft[];
}

const browserZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

/** A new window: the classic "no promotion Friday 16:00 – Monday 08:00" in the browser's zone. */
export const newWindow = (timezone = browserZone()): WindowDraft => ({
  timezone,
  startDay: 'fri',
  startTime: '16:00',
  endDay: 'mon',
  endTime: '08:00',
  reason: '',
});

export const toDraft = (policy: TargetPolicyView | undefined): PolicyDraft => ({
  requireApproval: policy?.requireApproval ?? false,
  promotionThreshold: String(policy?.promotionThreshold ?? defaultPromotionThreshold),
  windows: (policy?.freezeWindows ?? []).map((w) => ({
    timezone: w.timezone,
    startDay: w.start.day,
    startTime: w.start.time,
    endDay: w.end.day,
    endTime: w.end.time,
    reason: w.reason ?? '',
  })),
});

export const fromDraft = (draft: PolicyDraft): TargetPolicy => ({
  requireApproval: draft.requireApproval,
  // An empty or non-numeric entry stays NaN, which the schema refuses with a message for the field.
  promotionThreshold: draft.promotionThreshold.trim() === '' ? Number.NaN : Number(draft.promotionThreshold),
  freezeWindows: draft.windows.map(
    (w): FreezeWindow => ({
      timezone: w.timezone.trim(),
      start: { day: w.startDay, time: w.startTime },
      end: { day: w.endDay, time: w.endTime },
      ...(w.reason.trim() ? { reason: w.reason.trim() } : {}),
    }),
  ),
});

/**
 * Field paths as the editor names them: `freezeWindows.0.timezone`, `freezeWindows.1.start.time`.
 * The API may spell them `freezeWindows[0].timezone` or `/freezeWindows/0/timezone`; all the same.
 */
export function normalizeField(field: string): string {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .replace(/^\.+|\.+$/g, '')
    .replace(/^body\./, '');
}

export type FieldErrors = Record<string, string>;

/** Check a draft as the API will (same schema); errors by field path. */
export function validateDraft(draft: PolicyDraft): FieldErrors {
  const parsed = TargetPolicy.safeParse(fromDraft(draft));
  if (parsed.success) return {};
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = normalizeField(issue.path.map(String).join('.'));
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The API's refusal, put next to its field (or under the form's own key `''` when it names none). */
export function apiFieldErrors(err: unknown): FieldErrors {
  if (!isApiError(err)) return {};
  return { [err.field ? normalizeField(err.field) : '']: err.message };
}

/** The message for a field or anything below it (e.g. `freezeWindows.0.start` for its day and time). */
export function errorFor(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const below = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return below ? errors[below] : undefined;
}
