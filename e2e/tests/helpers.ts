import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, expect } from '@playwright/test';
import type { E2eUser } from '../users.ts';

export const baseUrl = () => {
  const url = process.env.AVIARY_E2E_URL;
  if (!url) throw new Error('AVIARY_E2E_URL is unset: the global setup did not start the stack');
  return url;
};
/** The bootstrap AVIARY_ADMIN_TOKEN of the e2e stack. */
export const token = () => process.env.AVIARY_E2E_TOKEN ?? '';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

/** Screenshots of each screen, kept as test artefacts (gitignored). */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

export const artifactPath = (name: string) => join(artifacts, name);

/**
 * Sign in through the dashboard's sign-in page, which stands in for any page while nobody is
 * signed in: the address asked for opens once signed in.
 */
export async function signIn(page: Page, user: E2eUser, path = '/'): Promise<void> {
  await page.goto(`${baseUrl()}${path}`);
  await expect(page.getByRole('heading', { name: 'Sign in to Aviary' })).toBeVisible();
  await page.getByLabel('Username', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('session')).toContainText(user.username);
  await expect(page.getByTestId('session')).toHaveAttribute('data-role', user.role);
}

/** A fresh browser context (its own cookies) signed in as `user` at `path`. */
export async function pageAs(browser: Browser, user: E2eUser, path = '/'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user, path);
  return page;
}
