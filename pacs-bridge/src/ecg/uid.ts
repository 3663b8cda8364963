// UIDs for the instances the ECG import creates. The 2.25 root (ISO/IEC 9834-8, UUID-derived
// UIDs) needs no registered organisation root and cannot collide with other roots. The UUIDs are
// name-based (RFC 9562 version 8, from SHA-256) over the source file, so importing the same file
// twice yields the same instance — the ingest pipeline reports a duplicate instead of storing a
// second copy — while different files never share a UID.
import { createHash } from 'node:crypto';

/** Implementation Class UID of the ECG writer: a fixed version-8 UUID under 2.25. */
export const IMPLEMENTATION_CLASS_UID = '2.25.163896256919162823682817467153400073707';
export const IMPLEMENTATION_VERSION_NAME = 'TELEMED_ECG_1';

/** A version-8 UUID from SHA-256 of the parts, as a 2.25 UID (at most 44 characters). */
export function nameBasedUid(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    // Length-prefix each part so ("ab","c") and ("a","bc") differ.
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.byteLength}:`);
    hash.update(bytes);
  }
  const b = hash.digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80; // version 8
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  return `2.25.${BigInt(`0x${b.toString('hex')}`).toString(10)}`;
}

const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/** PS3.5 9.1 UID syntax: digits and dots, no empty components or leading zeros, ≤ 64 chars. */
export function isUid(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64 && UID_PATTERN.test(value);
}
