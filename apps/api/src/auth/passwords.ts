import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt, memory-hard: N=2^15, r=8 takes 32 MiB per hash, so guessing on GPUs is expensive. */
const params = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 64;
// Node's default ceiling is 32 MiB, exactly what N·r·128 needs; leave room for the rest.
const maxmem = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, { ...p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$<salt>$<key>`: the parameters are stored so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verified against when the user does not exist, so a wrong name takes as long as a wrong password. */
export const dummyHash = hashPassword('not a password anyone has');
