// The from-disk validator must agree with the in-memory one on every fixture (valid and malformed),
// and on truncations of encapsulated files, so the upload path accepts exactly what STOW-RS accepts.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { validatePart10 } from '../dicom/validate.js';
import { inspectPart10File } from './file-inspect.js';

const dir = mkdtempSync(join(tmpdir(), 'file-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function both(bytes: Buffer, name: string) {
  const path = join(dir, name.replace(/\//g, '_'));
  writeFileSync(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    memory: validatePart10(bytes),
    disk: await inspectPart10File(path, { size: bytes.length, sha256 }),
  };
}

describe('inspectPart10File', () => {
  it('agrees with validatePart10 on every fixture', async () => {
    let fromDisk = 0;
    for (const f of dicomFixtures()) {
      const { memory, disk } = await both(f.bytes, f.path);
      if (disk.ok === 'unsupported') continue; // the caller falls back to the in-memory check
      fromDisk++;
      expect(disk.ok, `${f.path}: ${JSON.stringify(disk)}`).toBe(memory.ok);
      if (memory.ok && disk.ok === true) expect(disk.record, f.path).toEqual(memory.record);
    }
    expect(fromDisk).toBeGreaterThan(20);
  });

  it('refuses truncated encapsulated pixel data like the in-memory check', async () => {
    const encapsulated = dicomFixtures().filter(
      (f) => !f.malformed && f.transferSyntaxUid && /^1\.2\.840\.10008\.1\.2\.4\./.test(f.transferSyntaxUid),
    );
    expect(encapsulated.length).toBeGreaterThan(3);
    for (const f of encapsulated.slice(0, 6)) {
      for (const cut of [9, 100, 1001]) {
        const { memory, disk } = await both(f.bytes.subarray(0, f.bytes.length - cut), `${f.path}-${cut}`);
        expect(memory.ok, f.path).toBe(false);
        expect(disk.ok, `${f.path} cut ${cut}`).not.toBe(true);
      }
    }
  });
});
