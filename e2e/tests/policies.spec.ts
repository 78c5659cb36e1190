import { type Rollout, type TargetPolicy, paths, policyPaths } from '@aviary/contracts';
import { type Page, expect, test } from '@playwright/test';
import { ApiSession } from '../session.ts';
import { users } from '../users.ts';
import { baseUrl, pageAs, snap } from './helpers.ts';

/**
 * Issue 6, guarded actions: the two-person rule makes a second operator approve a promotion, and
 * a change freeze stops promotion (never rollback); the audit page shows who asked and who approved.
 */
test.describe.configure({ mode: 'serial' });

const route = (path: string, params: Record<string, string>) =>
  path.replace(/:([a-zA-Z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));

/** Start a canary as `user` through the API (the form is covered by canary.spec). */
async function startCanary(service: string, reason: string): Promise<Rollout> {
  const olga = await ApiSession.login(baseUrl(), users.operator);
  return (await olga.send('POST', paths.rollouts, {
    namespace: 'shop',
    service,
    image: `registry.local/shop/${service}:1.1.0-e2e`,
    steps: [25, 100],
    reason,
  })) as Rollout;
}

/** Press Promote and confirm it with a reason, overriding the gate if it has not passed yet. */
async function promote(page: Page, reason: string): Promise<void> {
  await page.locator('button[data-action="promote"]').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('needs-approval')).toContainText('a second operator');
  await dialog.getByLabel(/Reason/).fill(reason);
  await dialog.getByRole('button', { name: /Override and promote|Confirm: promote/ }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

test.describe('two-person rule', () => {
  let rollout: Rollout;
  let olga: Page;

  test.afterAll(async () => {
    await olga?.context().close();
  });

  test('an admin turns on "require approval" for shop/payments on the targets page', async ({ browser }) => {
    const admin = await pageAs(browser, users.admin, '/targets');
    try {
      const policy = admin.getByRole('region', { name: 'Policy of shop/payments' });
      await expect(policy.getByTestId('policy-approval')).toHaveText('off');
      await policy.getByRole('button', { name: 'Edit policy' }).click();
      // A freeze window with a time zone that does not exist is refused next to its field.
      await policy.getByRole('button', { name: 'Add freeze window' }).click();
      await policy.getByLabel('Time zone (window 1)').fill('Mars/Olympus');
      await policy.getByRole('button', { name: 'Save policy' }).click();
      await expect(policy.getByRole('group', { name: 'Freeze window 1' }).getByRole('alert')).toContainText(
        'an IANA time zone',
      );
      await snap(admin, 'policy-editor-error');
      await policy.getByRole('button', { name: 'Remove window 1' }).click();
      await policy.getByLabel(/Require approval/).check();
      await snap(admin, 'policy-editor');
      await policy.getByRole('button', { name: 'Save policy' }).click();
      await expect(policy.getByTestId('policy-approval')).toContainText(
        'on: promotion needs a second operator',
      );
      await expect(policy).toContainText(`set by ${users.admin.username}`);
      await snap(admin, 'targets-policies');
    } finally {
      await admin.context().close();
    }
  });

  test('operator A promotes: the request waits for approval and nothing changes', async ({ browser }) => {
    rollout = await startCanary('payments', 'e2e: ship payments 1.1.0');
    olga = await pageAs(browser, users.operator, `/rollouts/${rollout.id}`);
    await expect(olga.locator('.rollout-header [data-phase="progressing"]')).toBeVisible({ timeout: 30_000 });
    await expect(olga.getByTestId('live-weight')).toHaveText('25%');
    await expect(olga.getByTestId('two-person-rule')).toBeVisible();
    await promote(olga, 'e2e: payments look fine, promote');

    const panel = olga.getByTestId('approval-panel');
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId('approval-request')).toContainText(
      `${users.operator.username} asked to promote`,
    );
    await expect(panel.getByTestId('approval-reason')).toContainText('e2e: payments look fine, promote');
    // Nothing changed yet.
    await expect(olga.getByTestId('live-weight')).toHaveText('25%');
    await expect(olga.locator('.rollout-header [data-phase="progressing"]')).toBeVisible();
    // A's own Approve is disabled, and says why; Promote is held while the request waits.
    await expect(panel.getByTestId('approve')).toBeDisabled();
    await expect(panel.getByTestId('why-approve')).toContainText('a second operator must approve');
    await expect(panel.getByTestId('withdraw')).toBeEnabled();
    await expect(olga.locator('button[data-action="promote"]')).toBeDisabled();
    await expect(olga.locator('button[data-action="promote"]')).toHaveAttribute(
      'title',
      /already has a pending approval/,
    );
    await expect(olga.locator('button[data-action="rollback"]')).toBeEnabled();
    await snap(olga, 'approval-waiting');
  });

  test('operator B sees it first on the overview, approves, and the rollout ends promoted', async ({
    browser,
  }) => {
    const otto = await pageAs(browser, users.operator2, '/');
    try {
      const card = otto.locator(`li.card[data-rollout="${rollout.id}"]`);
      await expect(card.getByTestId('awaiting-approval')).toContainText(
        `waiting for approval · ${users.operator.username} asked to promote`,
      );
      await expect(otto.locator('li.card').first()).toHaveAttribute('data-rollout', rollout.id);
      await snap(otto, 'overview-approval');
      await card.getByRole('link').click();
      const panel = otto.getByTestId('approval-panel');
      await expect(panel.getByTestId('approve')).toBeEnabled();
      await expect(panel.getByTestId('withdraw')).toBeDisabled();
      await panel.getByTestId('approve').click();
      await expect(otto.locator('.rollout-header [data-phase="promoted"]')).toBeVisible({ timeout: 30_000 });
      await expect(otto.getByTestId('approval-panel')).toHaveCount(0);
      await snap(otto, 'approval-approved');
      // Operator A's page follows live.
      await expect(olga.locator('.rollout-header [data-phase="promoted"]')).toBeVisible({ timeout: 30_000 });
      await expect(olga.getByTestId('approval-panel')).toHaveCount(0);
    } finally {
      await otto.context().close();
    }
  });

  test('the audit page shows the request and the approval, with both names', async ({ browser }) => {
    const admin = await pageAs(browser, users.admin, '/audit');
    try {
      // A rollout is named by its target on the page; its id is the link's title.
      const rows = admin
        .locator('tbody tr')
        .filter({ has: admin.locator(`a[title="rollout/${rollout.id}"]`) });
      const requested = rows.filter({ hasText: 'approval-requested' });
      await expect(requested).toHaveCount(1);
      await expect(requested).toContainText(users.operator.username);
      await expect(requested).toContainText('asked for approval to promote');
      const approved = rows.filter({ hasText: 'approval-approved' });
      await expect(approved).toHaveCount(1);
      await expect(approved).toContainText(users.operator2.username);
      await expect(approved).toContainText(`asked by ${users.operator.username}`);
      await expect(admin.locator('tbody tr', { hasText: 'policy-updated' }).first()).toContainText(
        'policy: two-person rule on',
      );
      await snap(admin, 'audit-approval');
    } finally {
      await admin.context().close();
    }
  });
});

test.describe('change freeze', () => {
  test('during a freeze window promotion is disabled and refused with the end time; rollback works', async ({
    browser,
  }) => {
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    const today = (new Date().getUTCDay() + 6) % 7;
    const policy: TargetPolicy = {
      requireApproval: false,
      promotionThreshold: 50,
      freezeWindows: [
        {
          timezone: 'UTC',
          start: { day: days[today]!, time: '00:00' },
          end: { day: days[(today + 2) % 7]!, time: '00:00' },
          reason: 'e2e release freeze',
        },
      ],
    };
    // A freeze refuses starts too, so the canary starts before the window is set.
    const rollout = await startCanary('catalog', 'e2e: catalog during a freeze');
    const admin = await ApiSession.login(baseUrl(), users.admin);
    await admin.send(
      'PUT',
      route(policyPaths.targetPolicy, { namespace: 'shop', service: 'catalog' }),
      policy,
    );
    const page = await pageAs(browser, users.operator, `/rollouts/${rollout.id}`);
    try {
      await expect(page.locator('.rollout-header [data-phase="progressing"]')).toBeVisible({
        timeout: 30_000,
      });
      const frozen = page.getByTestId('freeze-state');
      await expect(frozen).toContainText(`Change freeze until ${days[(today + 2) % 7]![0]!.toUpperCase()}`);
      await expect(frozen).toContainText('00:00 UTC: e2e release freeze');
      const promoteButton = page.locator('button[data-action="promote"]');
      await expect(promoteButton).toBeDisabled();
      await expect(promoteButton).toHaveAttribute('title', /is frozen until .* 00:00 UTC/);
      await expect(page.locator('button[data-action="step"]')).toBeDisabled(); // the next step is 100%
      await snap(page, 'freeze');
      // The API refuses it too (the button only mirrors the rule).
      const olga = await ApiSession.login(baseUrl(), users.operator);
      const refused = await olga
        .send('POST', route(paths.rolloutActions, { id: rollout.id }), {
          type: 'promote',
          reason: 'e2e: try anyway',
          override: true,
        })
        .then(
          () => 'accepted',
          (err: Error) => err.message,
        );
      expect(refused).toMatch(/409.*change-frozen/);
      // Rollback is never frozen.
      await page.locator('button[data-action="rollback"]').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/Reason/).fill('e2e: roll back during the freeze');
      await dialog.getByRole('button', { name: /Confirm: roll back/ }).click();
      await expect(dialog).toBeHidden({ timeout: 30_000 });
      await expect(page.locator('.rollout-header [data-phase="rolled-back"]')).toBeVisible({
        timeout: 30_000,
      });
    } finally {
      await page.context().close();
      await admin.send('PUT', route(policyPaths.targetPolicy, { namespace: 'shop', service: 'catalog' }), {
        requireApproval: false,
        freezeWindows: [],
      });
    }
  });
});
