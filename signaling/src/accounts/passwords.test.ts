import { describe, expect, it } from 'vitest';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$N=16384,r=8,p=1,len=64\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
  });

  it('keeps each hash’s own parameters', async () => {
    const cheap = await hashPassword('pw', { N: 1024, r: 8, p: 1, keyLength: 32 });
    expect(cheap).toMatch(/^scrypt\$N=1024,r=8,p=1,len=32\$/);
    expect(await verifyPassword('pw', cheap)).toBe(true);
  });

  it('refuses corrupt or absurd hashes instead of throwing', async () => {
    expect(await verifyPassword('pw', 'not a hash')).toBe(false);
    expect(await verifyPassword('pw', 'scrypt$N=3,r=8,p=1,len=64$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('pw', 'scrypt$N=1073741824,r=8,p=1,len=64$AAAA$AAAA')).toBe(false);
  });

  it('has a decoy check for unknown users', async () => {
    expect(await burnPasswordCheck('anything')).toBe(false);
  });
});
