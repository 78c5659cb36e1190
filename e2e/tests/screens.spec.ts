import { authPaths } from '@aviary/contracts';
import { expect, test } from '@playwright/test';
import { ApiSession } from '../session.ts';
import { users } from '../users.ts';
import { baseUrl, pageAs, signIn, snap, token } from './helpers.ts';

test('signed out, any page is the sign-in page; a wrong password says so; signing in opens the page', async ({
  page,
}) => {
  await page.goto(`${baseUrl()}/history`);
  await expect(page.getByRole('heading', { name: 'Sign in to Aviary' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'History' })).toHaveCount(0);
  await snap(page, 'sign-in');
  await page.getByLabel('Username', { exact: true }).fill(users.viewer.username);
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('wrong username or password');
  await signIn(page, users.viewer, '/history');
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Aviary' })).toBeVisible();
});

test('a #token= link signs in with the token, then leaves the address bar', async ({ page }) => {
  await page.goto(`${baseUrl()}/#token=${token()}`);
  await expect(page.getByTestId('session')).toHaveAttribute('data-role', 'admin');
  expect(page.url()).not.toContain('token=');
  await expect(page.getByRole('link', { name: 'Audit' })).toBeVisible();
});

test('a viewer: the overview is read-only, lists every namespace, and has no admin pages', async ({
  browser,
}) => {
  const page = await pageAs(browser, users.viewer);
  await expect(page.getByRole('heading', { name: 'Active rollouts' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Recently finished' })).toBeVisible();
  await expect(page.locator('main button')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await snap(page, 'overview');
  await page.getByRole('link', { name: 'Start a canary' }).click();
  await expect(page.getByRole('button', { name: 'Start canary' })).toBeDisabled();
  await expect(page.locator('main').getByRole('note')).toContainText(
    'Viewers can watch, not act; ask an operator',
  );
  await page.goto(`${baseUrl()}/audit`);
  await expect(page.getByTestId('page-denied')).toContainText('Only admins can read the audit trail');
  await page.context().close();
});

test('the targets page shows each target and its metric profile', async ({ browser }) => {
  const page = await pageAs(browser, users.viewer, '/targets');
  await expect(page.getByRole('cell', { name: 'shop/checkout', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Metric profile of shop/checkout' })).toBeVisible();
  await snap(page, 'targets');
  await page.context().close();
});

test('an admin turns anonymous read on for a wallboard, and off again', async ({ browser }) => {
  const admin = await pageAs(browser, users.admin, '/settings');
  const toggle = admin.getByLabel('Anonymous read-only access');
  try {
    await expect(toggle).not.toBeChecked();
    await expect(admin.getByRole('cell', { name: users.operator.username, exact: true })).toBeVisible();
    await toggle.check();
    await expect(admin.getByTestId('anonymous-read-state')).toContainText('On:');
    await snap(admin, 'settings');

    const wallboard = await browser.newPage();
    await wallboard.goto(`${baseUrl()}/`);
    await expect(wallboard.getByRole('heading', { name: 'Active rollouts' })).toBeVisible();
    await expect(wallboard.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(wallboard.locator('[data-stream="live"]')).toBeVisible();
    await wallboard.close();

    await toggle.uncheck();
    await expect(admin.getByTestId('anonymous-read-state')).toContainText('Off:');
  } finally {
    // Leave the stack as the other tests expect it, whatever happened above.
    const session = await ApiSession.login(baseUrl(), users.admin);
    await session.send('PUT', authPaths.settings, { anonymousRead: false });
    await admin.context().close();
  }
});

test('dark theme', async ({ browser }) => {
  const page = await pageAs(browser, users.viewer);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${baseUrl()}/history`);
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  // The page follows the system's dark scheme: dark background, light text (styles.css).
  const body = page.locator('body');
  await expect(body).toHaveCSS('background-color', 'rgb(20, 21, 23)');
  await expect(body).toHaveCSS('color', 'rgb(233, 236, 239)');
  await snap(page, 'history-dark');
  // The toggle overrides the system: system → light.
  await page.getByRole('button', { name: /^Theme: system/ }).click();
  await expect(body).toHaveCSS('background-color', 'rgb(248, 249, 250)');
  await expect(body).toHaveCSS('color', 'rgb(33, 37, 41)');
  await page.context().close();
});
