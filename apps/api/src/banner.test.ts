import { describe, expect, it } from 'vitest';
import { startBanner } from './banner.ts';

describe('start banner', () => {
  const adminToken = 'configured-admin-token-0123456789-abcdef';

  it('never prints a configured AVIARY_ADMIN_TOKEN', () => {
    const text = startBanner({ url: 'http://127.0.0.1:8080', adminToken, configured: true });
    expect(text).not.toContain(adminToken);
    expect(text).toContain('$AVIARY_ADMIN_TOKEN');
  });

  it('prints a token generated for this run, which nobody else knows', () => {
    const text = startBanner({ url: 'http://127.0.0.1:8080', adminToken: 'generated', configured: false });
    expect(text).toContain('/#token=generated');
    expect(text).toContain('Bearer generated');
  });
});
