// Large uploads: the parts are streamed into one file and validated/stored from disk, so a file far
// over the in-memory cap still goes in; one that must be buffered (deflated) gets 413 with a reason.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticImage } from './synthetic-image.js';
import { auth, startTestBridge, type TestBridge } from './test-server.js';

const MiB = 1024 * 1024;
const PART = 8 * MiB;
const CAP = 16 * MiB;

describe('large browser uploads', () => {
  let t: TestBridge;
  beforeAll(async () => {
    t = await startTestBridge({
      uploads: { partBytes: PART, maxFileBytes: 256 * MiB, maxInMemoryBytes: CAP },
    });
  });
  afterAll(async () => t.close());

  async function upload(file: Buffer, onComplete?: () => void) {
    const sha256 = createHash('sha256').update(file).digest('hex');
    const created = await fetch(`${t.url}/api/uploads`, {
      method: 'POST',
      headers: { ...auth('nurse-zhao'), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big.dcm', size: file.length, sha256 }),
    });
    const { id, parts } = (await created.json()) as { id: string; parts: number };
    for (let n = 1; n <= parts; n++) {
      const res = await fetch(`${t.url}/api/uploads/${id}/parts/${n}`, {
        method: 'PUT',
        headers: { ...auth('nurse-zhao'), 'content-type': 'application/octet-stream' },
        body: file.subarray((n - 1) * PART, Math.min(n * PART, file.length)),
      });
      expect(res.status).toBe(200);
    }
    onComplete?.();
    const done = await fetch(`${t.url}/api/uploads/${id}/complete`, {
      method: 'POST',
      headers: auth('nurse-zhao'),
    });
    const json = (await done.json()) as UploadAnswer;
    return { status: done.status, json, sha256, id };
  }

  interface UploadAnswer {
    state?: string;
    reason?: string;
    id: string;
    result: { status: string; sopInstanceUid: string };
  }

  it('a 72 MiB multi-part upload is stored from disk, never buffered (cap 16 MiB), byte-identical', async () => {
    const file = syntheticImage(144, '1.2.840.10008.1.2.1');
    expect(file.length).toBeGreaterThan(64 * MiB);
    // Loose watch on external memory while completing: a buffered path would add the file size.
    let peak = 0;
    let baseline = 0;
    let timer: NodeJS.Timeout | undefined;
    const { status, json, sha256 } = await upload(file, () => {
      baseline = process.memoryUsage().arrayBuffers;
      timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
      }, 5);
    });
    clearInterval(timer);
    // Over the in-memory cap, so only the from-disk path could have taken it.
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json).toMatchObject({ state: 'stored', result: { status: 'stored' } });
    expect(peak).toBeLessThan(file.length / 2);
    const record = await t.bridge.store.find(json.result.sopInstanceUid);
    expect(record).toMatchObject({ sha256, size: file.length, numberOfFrames: 144, rows: 512 });
    const stream = await t.bridge.store.open(json.result.sopInstanceUid);
    const hash = createHash('sha256');
    for await (const chunk of stream!) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(sha256);
    // Nothing left over in the session directory but its session file.
    const again = await fetch(`${t.url}/api/uploads/${json.id}`, { headers: auth('nurse-zhao') });
    expect((await again.json()).missingParts.length).toBeGreaterThan(0);
  });

  it('pixel data shorter than the image needs is refused from disk with the reason', async () => {
    const file = syntheticImage(40, '1.2.840.10008.1.2.1');
    // Claim 41 frames: the length check must catch it without reading the pixels.
    const at = file.indexOf(Buffer.from([0x28, 0, 0x08, 0, 0x49, 0x53]), 132);
    expect(file.toString('latin1', at + 8, at + 10)).toBe('40');
    file.write('41', at + 8, 'latin1');
    const { status, json } = await upload(file);
    expect(status).toBe(400);
    expect(json.reason).toMatch(/pixel data is \d+ bytes/);
  });

  it('a deflated file over the in-memory cap gets 413 and a clear reason', async () => {
    const file = syntheticImage(36, '1.2.840.10008.1.2.1.99', { deflate: true });
    expect(file.length).toBeGreaterThan(CAP);
    const { status, json } = await upload(file);
    expect(status).toBe(413);
    expect(json).toMatchObject({ state: 'failed' });
    expect(json.reason).toMatch(/bytes; files over 16777216 bytes/);
    expect(t.bridge.store.kind).toBe('embedded');
  });
});
