// The hash a signature covers: sha256 over canonical JSON (keys sorted, no whitespace), so the same
// content always hashes the same and anyone holding the report can re-check it.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../protocol/canonical-json.js';

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
