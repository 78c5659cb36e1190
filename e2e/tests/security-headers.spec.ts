import { type Page, expect, test } from '@playwright/test';
import { users } from '../users.ts';
import { baseUrl, pageAs } from './helpers.ts';

/** Every Content-Security-Policy violation the page reports, collected from its first script on. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('the dashboard works under its Content-Security-Policy and cannot be framed', async ({ browser }) => {
  const res = await fetch(`${baseUrl()}/`);
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(res.headers.get('x-frame-options')).toBe('DENY');

  const page = await pageAs(browser, users.admin, '/');
  const violations = await watchViolations(page);
  for (const path of ['/', '/history', '/audit', '/settings']) {
    await page.goto(`${baseUrl()}${path}`);
    await expect(page.getByTestId('session')).toContainText(users.admin.username);
  }
  await page.getByRole('link', { name: 'Start a canary' }).click();
  await expect(page.getByRole('button', { name: 'Start canary' })).toBeVisible();
  expect(await violations()).toEqual([]);

  // The API reference (Swagger UI) loads its scripts from files too.
  await page.goto(`${baseUrl()}/api/docs`);
  await expect(page.locator('.swagger-ui .info')).toBeVisible();
  expect(await violations()).toEqual([]);
});
