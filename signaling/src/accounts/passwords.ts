// Password hashing with scrypt (node:crypto, no native addon). The encoded hash carries its own salt
// and cost parameters, so the cost can be raised later without invalidating existing passwords.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** ~50 ms on one core: slow for guessing, fine for a login. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1, keyLength: 64 };
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, params.keyLength, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N=16384,r=8,p=1,len=64$<salt b64>$<hash b64>` */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p},len=${params.keyLength}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function decode(encoded: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+),len=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(encoded);
  if (!m) return null;
  const [N, r, p, keyLength] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (
    N < 2 ||
    N > 1 << 20 ||
    (N & (N - 1)) !== 0 ||
    r < 1 ||
    r > 32 ||
    p < 1 ||
    p > 16 ||
    keyLength < 16 ||
    keyLength > 128
  ) {
    return null;
  }
  return {
    params: { N, r, p, keyLength },
    salt: Buffer.from(m[5]!, 'base64'),
    key: Buffer.from(m[6]!, 'base64'),
  };
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const decoded = decode(encoded);
  if (!decoded) return false;
  const candidate = await derive(password, decoded.salt, decoded.params);
  return candidate.length === decoded.key.length && timingSafeEqual(candidate, decoded.key);
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as a real check, for usernames that do not exist: the response time must not
 * tell an attacker which usernames are real.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(password, await dummyHash);
  return false;
}
