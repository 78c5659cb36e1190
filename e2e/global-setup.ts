import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { authPaths } from '@aviary/contracts';
import { ApiSession } from './session.ts';
import { adminToken, startStack, webRoot } from './stack.ts';
import { users } from './users.ts';

/**
 * Start the full stack once for every test (Playwright calls the returned function at the end),
 * then set it up as a first install would be: sign in with the bootstrap token, create the first
 * admin, and as that admin create two operators and a viewer. Anonymous read stays off.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error(`no dashboard build at ${webRoot}: run "pnpm --filter @aviary/web build" first`);
  }
  const stack = await startStack();
  try {
    const bootstrap = await ApiSession.login(stack.url, { token: adminToken });
    if (!bootstrap.me.setupRequired) throw new Error('a fresh stack should ask for its first admin');
    await bootstrap.send('POST', authPaths.users, users.admin);
    const admin = await ApiSession.login(stack.url, users.admin);
    await admin.send('POST', authPaths.users, users.operator);
    await admin.send('POST', authPaths.users, users.operator2);
    await admin.send('POST', authPaths.users, users.viewer);
    await admin.send('PUT', authPaths.settings, { anonymousRead: false });
  } catch (err) {
    await stack.stop();
    throw err;
  }
  process.env.AVIARY_E2E_URL = stack.url;
  process.env.AVIARY_E2E_TOKEN = adminToken;
  return () => stack.stop();
}
