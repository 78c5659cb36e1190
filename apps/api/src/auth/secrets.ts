import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens and session ids are 256 random bits, so a fast hash is enough to store them:
 * nobody can guess one from its SHA-256. (Passwords are different: see passwords.ts.)
 */
export const newSecret = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** A prefix on every token makes leaked ones easy to find with secret scanners. */
export const tokenPrefix = 'avt_';
export const sessionPrefix = 'avs_';
