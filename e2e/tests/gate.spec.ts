import { type CheckResult, type GateResult, type Rollout, paths } from '@aviary/contracts';
import { type Page, expect, test } from '@playwright/test';
import { ApiSession } from '../session.ts';
import { users } from '../users.ts';
import { baseUrl, pageAs, snap, token } from './helpers.ts';

/**
 * Issue 17, the gate tells one story: the first line names the check that decides last with the
 * API's own numbers, and the primary action follows the verdict (none while inconclusive, Roll
 * back on fail), with Promote never next to Roll back.
 */
test.describe.configure({ mode: 'serial' });

const service = 'catalog';
const profileUrl = `/api/v1/targets/shop/${service}/profile`;
let page: Page;
let savedProfile: unknown;

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${baseUrl()}${path}`, { headers: { authorization: `Bearer ${token()}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function start(image: string, steps: number[]): Promise<Rollout> {
  const olga = await ApiSession.login(baseUrl(), users.operator);
  return (await olga.send('POST', paths.rollouts, {
    namespace: 'shop',
    service,
    image,
    steps,
    reason: 'e2e: gate presentation',
  })) as Rollout;
}

async function rollBack(id: string): Promise<void> {
  const olga = await ApiSession.login(baseUrl(), users.operator);
  const r = await get<Rollout>(`/api/v1/rollouts/${id}`);
  if (r.phase === 'rolled-back' || r.phase === 'promoted') return;
  await olga.send('POST', `/api/v1/rollouts/${id}/actions`, { type: 'rollback', reason: 'e2e: done' });
  await expect
    .poll(async () => (await get<Rollout>(`/api/v1/rollouts/${id}`)).phase, { timeout: 30_000 })
    .toBe('rolled-back');
}

/** The order of the action buttons, and which are drawn primary. */
async function buttons(p: Page) {
  const all = p.locator('.action-buttons button[data-action]');
  const types = await all.evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
  const primary = await p
    .locator('.action-buttons button.primary')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
  return { types, primary };
}

const notAdjacent = (types: (string | null)[]) =>
  Math.abs(types.indexOf('promote') - types.indexOf('rollback')) > 1;

/** The check the API says decides last: the latest to decide, else the most samples short. */
function limiting(gate: GateResult): CheckResult | null {
  const open = gate.checks.filter(
    (c) => c.verdict === 'inconclusive' && (c.samplesNeeded !== null || c.secondsToSignificance !== null),
  );
  const key = (c: CheckResult) => [c.secondsToSignificance ?? -1, c.samplesNeeded ?? -1] as const;
  return open.reduce<CheckResult | null>((best, c) => {
    if (!best) return c;
    const [a1, a2] = key(c);
    const [b1, b2] = key(best);
    return a1 > b1 || (a1 === b1 && a2 > b2) ? c : best;
  }, null);
}

test.beforeAll(async ({ browser }) => {
  savedProfile = (await get<{ profile: unknown }>(profileUrl)).profile;
  page = await pageAs(browser, users.operator);
});

test.afterAll(async () => {
  const admin = await ApiSession.login(baseUrl(), { token: token() });
  await admin.send('PUT', profileUrl, savedProfile);
  await page?.context().close();
});

test('inconclusive: no primary action, and the first line names the limiting check with the API’s numbers', async () => {
  test.setTimeout(120_000);
  const rollout = await start(`registry.local/shop/${service}:1.1.0-e2e`, [1, 50, 100]);
  try {
    await page.goto(`${baseUrl()}/rollouts/${rollout.id}`);
    await expect(page.locator('[data-gate-state="inconclusive"]')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('button[data-action="step"]')).toBeEnabled();
    const { types, primary } = await buttons(page);
    expect(primary).toEqual([]);
    expect(notAdjacent(types)).toBe(true);
    // The page and the API agree; both move every few seconds, so compare a matching pair.
    await expect
      .poll(
        async () => {
          const gate = await get<GateResult>(`/api/v1/rollouts/${rollout.id}/gate`);
          const check = limiting(gate);
          // Read the panel in one go: a locator would wait for a fact that is not shown.
          const shown = await page.evaluate(() => ({
            first: document.querySelector('[data-testid="gate-first-line"]')?.textContent ?? '',
            name: document.querySelector('[data-limiting]')?.getAttribute('data-limiting') ?? null,
            needed: document.querySelector('[data-fact="samples-needed"]')?.textContent ?? null,
            title: document.querySelector('[data-fact="limiting"]')?.textContent ?? '?',
          }));
          const { first, name, needed, title } = shown;
          return (
            check !== null &&
            name === check.name &&
            needed ===
              (check.samplesNeeded === null ? null : `~${check.samplesNeeded.toLocaleString('en-US')}`) &&
            first.startsWith('Hold at 1%') &&
            first.includes(title)
          );
        },
        { timeout: 30_000, intervals: [250, 500, 1000] },
      )
      .toBe(true);
    await snap(page, 'gate-inconclusive');
  } finally {
    await rollBack(rollout.id);
  }
});

test('fail: Roll back is the primary action, and Promote is not next to it', async () => {
  test.setTimeout(180_000);
  const admin = await ApiSession.login(baseUrl(), { token: token() });
  await admin.send('PUT', profileUrl, {
    minBakeSeconds: 5,
    minSamples: 100,
    autoRollback: false,
    errorRate: { tolerance: 0.005, max: 0.05 },
    business: [],
  });
  const rollout = await start(`registry.local/shop/${service}:1.1.0-errors`, [50, 100]);
  try {
    await page.goto(`${baseUrl()}/rollouts/${rollout.id}`);
    await expect(page.locator('[data-gate-state="fail"]')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('gate-first-line')).toHaveText(/^Roll back: 5xx errors/);
    await expect(page.locator('.action-buttons button.primary')).toHaveCount(1);
    const { types, primary } = await buttons(page);
    expect(primary).toEqual(['rollback']);
    expect(notAdjacent(types)).toBe(true);
    await snap(page, 'gate-fail');
  } finally {
    await rollBack(rollout.id);
  }
});
