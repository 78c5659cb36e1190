import type { ActionRequest, Approval, FreezeWindow, Rollout, TargetPolicyView } from '@aviary/contracts';
import { type Viewer, denial } from '../../auth/permissions.ts';

/** The weight a step request goes to: the plan's next step, or 100 at its end. */
const nextStep = (rollout: Rollout) => rollout.steps.find((w) => w > rollout.weight) ?? 100;

/** The freeze in force, or null: a `frozen` whose end has passed (a stale read) no longer counts. */
export function activeFreeze(
  policy: TargetPolicyView | undefined,
  now: number,
): TargetPolicyView['frozen'] | null {
  const frozen = policy?.frozen;
  if (!frozen) return null;
  const until = Date.parse(frozen.until);
  return Number.isFinite(until) && until <= now ? null : frozen;
}

/** "Mon 6 Jan, 08:00 Europe/Berlin": the end of a freeze, in the window's own time zone. */
export function formatUntil(until: string, timeZone: string): string {
  const d = new Date(until);
  if (Number.isNaN(d.getTime())) return until;
  let zone = timeZone;
  let text: string;
  try {
    text = formatIn(d, timeZone);
  } catch {
    zone = 'UTC';
    text = formatIn(d, 'UTC');
  }
  return `${text} ${zone}`;
}

function formatIn(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')}, ${get('hour')}:${get('minute')}`;
}

/** Why promotion is refused now, e.g. "Change freeze until Mon 6 Jan, 08:00 Europe/Berlin: release freeze". */
export function freezeReason(frozen: { window: FreezeWindow; until: string } | null): string | null {
  if (!frozen) return null;
  const reason = frozen.window.reason?.trim();
  return `Change freeze until ${formatUntil(frozen.until, frozen.window.timezone)}${reason ? `: ${reason}` : ''}; rollback is still allowed`;
}

const dayNames: Record<FreezeWindow['start']['day'], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** "Friday 16:00 – Monday 08:00 (Europe/Berlin)". */
export const describeWindow = (w: FreezeWindow): string =>
  `${dayNames[w.start.day]} ${w.start.time} – ${dayNames[w.end.day]} ${w.end.time} (${w.timezone})`;

/** What a waiting request asks for, in words: "promote to 100%", "step to 100%". */
export function describeRequest(action: ActionRequest, rollout?: Rollout): string {
  const override = action.override ? ' (overriding the gate)' : '';
  switch (action.type) {
    case 'promote':
      return `promote${rollout ? ` ${rollout.canaryImage}` : ''} to 100%${override}`;
    case 'step':
      return `step to ${rollout ? nextStep(rollout) : 100}%${override}`;
    case 'set-weight':
      return `set the weight to ${action.weight ?? 100}%${override}`;
    default:
      return `${action.type}${override}`;
  }
}

/** Why this person may not approve the request, or null when they may (two-person rule). */
export function approveDenial(viewer: Viewer, approval: Approval): string | null {
  const role = denial(viewer, 'act');
  if (role) return role;
  if (approval.status !== 'pending') return `This request is ${approval.status}`;
  if (viewer?.user && viewer.user === approval.requestedBy)
    return 'You asked for this: a second operator must approve';
  return null;
}

/** Why this person may not withdraw the request (the requester or an admin may), or null. */
export function withdrawDenial(viewer: Viewer, approval: Approval): string | null {
  if (approval.status !== 'pending') return `This request is ${approval.status}`;
  if (viewer && viewer.via !== 'anonymous') {
    if (viewer.role === 'admin') return null;
    if (viewer.user && viewer.user === approval.requestedBy) return null;
  }
  return `Only ${approval.requestedBy} (who asked) or an admin can withdraw it`;
}
