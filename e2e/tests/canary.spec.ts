import { readFile } from 'node:fs/promises';
import { type Page, expect, test } from '@playwright/test';
import { users } from '../users.ts';
import { artifactPath, baseUrl, pageAs, snap } from './helpers.ts';

test.describe.configure({ mode: 'serial' });

const image = 'registry.local/shop/checkout:1.1.0-e2e';
let page: Page;
let rolloutPath = '';

// The release manager is an operator, signed in through the sign-in page.
test.beforeAll(async ({ browser }) => {
  page = await pageAs(browser, users.operator);
});

test.afterAll(async () => {
  await page.context().close();
});

test('starts a canary from the form', async () => {
  await expect(page.getByText(/Sandbox: Aviary is running/)).toBeVisible();
  await page.getByRole('link', { name: 'Start a canary' }).click();
  await page.getByLabel('Target').selectOption('shop/checkout');
  await page.getByLabel('Canary image').fill(image);
  await page.getByLabel(/^Plan/).fill('10, 50, 100');
  await page.getByLabel(/^Reason/).fill('e2e: ship the new checkout');
  await snap(page, 'new-rollout');
  await page.getByRole('button', { name: 'Start canary' }).click();
  await expect(page).toHaveURL(/\/rollouts\/[^/]+$/);
  rolloutPath = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { name: /shop\/checkout/ })).toBeVisible();
  await expect(page.locator('[data-phase="progressing"]').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('live-weight')).toHaveText('10%');
});

test('draws canary and stable series on the charts, live', async () => {
  const chart = page.getByTestId('chart-errorRate');
  await expect(chart.locator('.series-stable path.recharts-curve')).toHaveCount(1, { timeout: 30_000 });
  // Until the canary has the minimum samples its line is drawn dashed (series-canary-thin); a
  // flat line has no height, so look for a path with points rather than a visible one.
  const canaryPoints = (c: typeof chart) =>
    c
      .locator('.series-canary path.recharts-curve, .series-canary-thin path.recharts-curve')
      .evaluateAll((paths) => Math.max(0, ...paths.map((p) => p.getAttribute('d')?.length ?? 0)));
  await expect.poll(() => canaryPoints(chart), { timeout: 30_000 }).toBeGreaterThan(10);
  const latency = page.getByTestId('chart-p95');
  await expect.poll(() => canaryPoints(latency)).toBeGreaterThan(10);
  await expect(latency.locator('.series-stable path.recharts-curve')).toHaveCount(1);
  // The paths really have points, and the weight step line is drawn on the same axis.
  await expect(chart.locator('.series-weight path.recharts-curve')).toHaveCount(1);
  await expect(page.locator('[data-stream="live"]')).toBeVisible();
  await expect(page.locator('[data-gate-state]')).toBeVisible();
  await snap(page, 'rollout-live');
});

test('steps through an inconclusive gate by overriding it with a reason', async () => {
  const gateState = await page.locator('[data-gate-state]').getAttribute('data-gate-state');
  expect(gateState).not.toBe('pass');
  // Markers drawn before the step: the first step's can fall before the first stored chart point.
  const markers = page.getByTestId('chart-errorRate').locator('.marker-step');
  const before = await markers.count();
  await page.getByRole('button', { name: /Next step → 50% \(override\)/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('override-warning')).toContainText('overriding a gate that is');
  await expect(dialog.getByTestId('override-warning')).toContainText('inconclusive');
  await snap(page, 'override-dialog');
  const confirm = dialog.getByRole('button', { name: /Override and next step/ });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill('e2e: low traffic tonight, override the gate');
  await confirm.click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId('live-weight')).toHaveText('50%', { timeout: 30_000 });
  const step = page.locator('.timeline-entry[data-action="step"]', { hasText: '10% → 50%' });
  await expect(step).toContainText('gate overridden');
  await expect(step).toContainText('e2e: low traffic tonight, override the gate');
  // The marker for the step shows up on the charts without a reload.
  await expect(markers).toHaveCount(before + 1);
});

test('a viewer sees the live rollout page with no enabled action buttons, and why', async ({ browser }) => {
  const viewer = await pageAs(browser, users.viewer, rolloutPath);
  try {
    await expect(viewer.getByRole('heading', { name: /shop\/checkout/ })).toBeVisible();
    await expect(viewer.locator('.rollout-header [data-phase="progressing"]')).toBeVisible();
    await expect(viewer.getByTestId('live-weight')).toHaveText('50%');
    await expect(viewer.locator('button[data-action]')).toHaveCount(5);
    await expect(viewer.locator('button[data-action]:enabled')).toHaveCount(0);
    await expect(viewer.getByTestId('actions-why')).toContainText(
      'needs the operator role and vic has viewer',
    );
    await expect(viewer.getByRole('link', { name: 'Audit' })).toHaveCount(0);
    await snap(viewer, 'rollout-viewer');
    // The operator, meanwhile, has the buttons.
    await expect(page.locator('button[data-action="rollback"]')).toBeEnabled();
  } finally {
    await viewer.context().close();
  }
});

test('an operator rolls back with a reason', async () => {
  await page.getByRole('button', { name: /Roll back/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/Reason/).fill('e2e: error budget, rolling back');
  await dialog.getByRole('button', { name: /Confirm: roll back/ }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.locator('.rollout-header [data-phase="rolled-back"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.timeline-entry[data-action="rollback"]')).toContainText(
    'e2e: error budget, rolling back',
  );
  await expect(page.locator('button[data-action="step"]')).toBeDisabled();
  await snap(page, 'rollout-rolled-back');
});

test('finds it all on the history page and in the exported report', async () => {
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByLabel('Phase').selectOption('rolled-back');
  await page.getByLabel('Target').selectOption('shop/checkout');
  const row = page.locator('tbody tr', { hasText: image });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('e2e: ship the new checkout');
  await snap(page, 'history');
  await row.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`${rolloutPath}$`));
  // Replayed from stored points.
  await expect(page.getByTestId('chart-errorRate').locator('.series-canary path.recharts-curve')).toHaveCount(
    1,
  );
  await expect(page.locator('.timeline-entry[data-action="rollback"]')).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export report (Markdown)' }).click(),
  ]);
  const file = artifactPath('report.md');
  await download.saveAs(file);
  const report = await readFile(file, 'utf8');
  expect(report).toContain('# Rollout report: shop/checkout');
  expect(report).toContain('**Outcome**: rolled-back');
  expect(report).toContain(image);
  expect(report).toContain('e2e: ship the new checkout');
  expect(report).toMatch(
    /\| step \| 10% → 50% \|.*e2e: low traffic tonight, override the gate \| inconclusive \(OVERRIDDEN\) \|/,
  );
  expect(report).toMatch(/\| rollback \|.*e2e: error budget, rolling back/);
  expect(report).toContain('## Numbers');
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  await json.saveAs(artifactPath('report.json'));
  const data = JSON.parse(await readFile(artifactPath('report.json'), 'utf8'));
  expect(data.rollout.phase).toBe('rolled-back');
  expect(data.events.map((e: { action: string }) => e.action)).toContain('rollback');
});

test('deep-links a moment: the timeline marks it and the charts highlight it', async () => {
  const stepAt = await page
    .locator('.timeline-entry[data-action="step"]', { hasText: '10% → 50%' })
    .locator('time')
    .getAttribute('datetime');
  await page.goto(`${baseUrl()}${rolloutPath}?at=${encodeURIComponent(stepAt ?? '')}`);
  await expect(page.locator('.timeline-entry.selected')).toHaveAttribute('data-action', 'step');
  await expect(page.locator('.timeline-entry.selected')).toContainText('10% → 50%');
  await expect(page.getByTestId('chart-errorRate').locator('.marker-highlight')).toHaveCount(1);
  await snap(page, 'rollout-deep-link');
});

test('the audit page shows the start, the override and the rollback, with their actors', async ({
  browser,
}) => {
  const admin = await pageAs(browser, users.admin, '/audit');
  try {
    await expect(admin.getByRole('heading', { name: 'Audit' })).toBeVisible();
    const id = rolloutPath.split('/').pop() ?? '';
    await admin.getByLabel('Actor').fill(users.operator.username);
    // A rollout is named by its target on the page; its id is the link's title.
    const rows = admin.locator('tbody tr').filter({ has: admin.locator(`a[title="rollout/${id}"]`) });
    await expect(rows).toHaveCount(3);
    const started = rows.filter({ hasText: 'rollout-started' });
    await expect(started).toContainText(users.operator.username);
    await expect(started).toContainText(`started ${image}`);
    await expect(started).toContainText('e2e: ship the new checkout');
    const override = rows.filter({ hasText: 'step 10% → 50% (gate overridden)' });
    await expect(override).toContainText(users.operator.username);
    await expect(override).toContainText('operator');
    await expect(override).toContainText('e2e: low traffic tonight, override the gate');
    const rollback = rows.filter({ hasText: /rollback/ });
    await expect(rollback).toContainText(users.operator.username);
    await expect(rollback).toContainText('e2e: error budget, rolling back');
    await snap(admin, 'audit');

    const [csv] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    await csv.saveAs(artifactPath('audit.csv'));
    const text = await readFile(artifactPath('audit.csv'), 'utf8');
    // Every cell is quoted, the header row's too.
    expect(text.split('\r\n')[0]).toBe(
      '"id","at","actor","role","sourceAddress","action","subject","before","after","reason"',
    );
    expect(text).toContain('"olga","operator"');
    expect(text).toContain('e2e: error budget, rolling back');
    const [json] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    await json.saveAs(artifactPath('audit.json'));
    const data = JSON.parse(await readFile(artifactPath('audit.json'), 'utf8'));
    expect(data.filter).toEqual({ actor: users.operator.username });
    expect(data.items.map((r: { action: string }) => r.action)).toEqual(
      expect.arrayContaining(['rollout-started', 'rollout-action', 'login']),
    );
  } finally {
    await admin.context().close();
  }
});
