/** The people the e2e suite signs in as; the global setup creates them through the API. */
export interface E2eUser {
  username: string;
  password: string;
  role: 'viewer' | 'operator' | 'admin';
}

export const users = {
  admin: { username: 'e2e-admin', password: 'admin-password-0123', role: 'admin' },
  operator: { username: 'olga', password: 'operator-password-0123', role: 'operator' },
  /** A second operator, for the two-person rule. */
  operator2: { username: 'otto', password: 'operator2-password-0123', role: 'operator' },
  viewer: { username: 'vic', password: 'viewer-password-0123', role: 'viewer' },
} as const satisfies Record<string, E2eUser>;
