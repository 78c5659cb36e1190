import type { FreezeWindow } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { approvalFixture, policyFixture, rolloutFixture } from '../../test/fixtures.ts';
import { meFixture } from '../../test/session.ts';
import {
  activeFreeze,
  approveDenial,
  describeRequest,
  describeWindow,
  formatUntil,
  freezeReason,
  withdrawDenial,
} from './policy.ts';

const otto = meFixture('operator', { user: 'otto' });
const olga = meFixture('operator'); // olga asked
const ada = meFixture('admin');
const vic = meFixture('viewer');

describe('who may approve (two-person rule)', () => {
  const approval = approvalFixture({ requestedBy: 'olga' });

  it('a second operator may', () => {
    expect(approveDenial(otto, approval)).toBeNull();
  });

  it('an admin who did not ask may', () => {
    expect(approveDenial(ada, approval)).toBeNull();
  });

  it('the requester may not: a second operator must approve', () => {
    expect(approveDenial(olga, approval)).toMatch(/a second operator must approve/);
  });

  it('an admin who asked may not either', () => {
    expect(approveDenial(meFixture('admin', { user: 'olga' }), approval)).toMatch(/second operator/);
  });

  it('viewers, anonymous readers and nobody may not, and are told why', () => {
    expect(approveDenial(vic, approval)).toMatch(/Viewers can watch, not act/);
    expect(approveDenial(meFixture('viewer', { via: 'anonymous', user: null }), approval)).toMatch(/sign in/);
    expect(approveDenial(null, approval)).toMatch(/sign in as an operator/);
  });

  it('a decided request cannot be approved', () => {
    expect(approveDenial(otto, approvalFixture({ status: 'withdrawn' }))).toBe('This request is withdrawn');
  });
});

describe('who may withdraw', () => {
  const approval = approvalFixture({ requestedBy: 'olga' });
  it('the requester and admins may; other operators and viewers may not', () => {
    expect(withdrawDenial(olga, approval)).toBeNull();
    expect(withdrawDenial(ada, approval)).toBeNull();
    expect(withdrawDenial(otto, approval)).toBe('Only olga (who asked) or an admin can withdraw it');
    expect(withdrawDenial(vic, approval)).toMatch(/Only olga/);
    expect(withdrawDenial(null, approval)).toMatch(/Only olga/);
  });
});

const berlin: FreezeWindow = {
  timezone: 'Europe/Berlin',
  start: { day: 'fri', time: '16:00' },
  end: { day: 'mon', time: '08:00' },
  reason: 'weekend: nobody on call',
};

describe('freeze reason text', () => {
  it('names the end in the window’s own time zone, and the reason', () => {
    // Monday 6 Jan 2025, 07:00 UTC is 08:00 in Berlin (CET).
    expect(freezeReason({ window: berlin, until: '2025-01-06T07:00:00.000Z' })).toBe(
      'Change freeze until Mon 6 Jan, 08:00 Europe/Berlin: weekend: nobody on call; rollback is still allowed',
    );
  });

  it('leaves out a missing reason, and says nothing when not frozen', () => {
    const { reason: _, ...noReason } = berlin;
    expect(freezeReason({ window: noReason, until: '2025-01-06T07:00:00.000Z' })).toBe(
      'Change freeze until Mon 6 Jan, 08:00 Europe/Berlin; rollback is still allowed',
    );
    expect(freezeReason(null)).toBeNull();
  });

  it('falls back to UTC for a zone this browser does not know', () => {
    expect(formatUntil('2025-01-06T07:00:00.000Z', 'Mars/Olympus')).toBe('Mon 6 Jan, 07:00 UTC');
  });

  it('a freeze whose end has passed no longer counts', () => {
    const policy = policyFixture({ frozen: { window: berlin, until: '2025-01-06T07:00:00.000Z' } });
    expect(activeFreeze(policy, Date.parse('2025-01-06T06:59:00Z'))).toEqual(policy.frozen);
    expect(activeFreeze(policy, Date.parse('2025-01-06T07:00:00Z'))).toBeNull();
    expect(activeFreeze(undefined, 0)).toBeNull();
  });

  it('describes a window', () => {
    expect(describeWindow(berlin)).toBe('Friday 16:00 – Monday 08:00 (Europe/Berlin)');
  });
});

describe('what a request asks for', () => {
  it('in words', () => {
    const r = rolloutFixture({ weight: 75 });
    expect(describeRequest({ type: 'promote' }, r)).toBe(
      'promote registry.local/shop/checkout:1.1.0 to 100%',
    );
    expect(describeRequest({ type: 'step', override: true, reason: 'x' }, r)).toBe(
      'step to 100% (overriding the gate)',
    );
    expect(describeRequest({ type: 'set-weight', weight: 100 })).toBe('set the weight to 100%');
  });
});
