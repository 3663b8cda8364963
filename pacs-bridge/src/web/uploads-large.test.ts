// Large uploads: the parts are streamed into one file and validated/stored from disk, so a file far
// over the in-memory cap still goes in; one that must be buffered (deflated) gets 413 with a reason.
import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestBridge, type TestBridge } from './test-server.js';

const MiB = 1024 * 1024;
const PART = 8 * MiB;
const CAP = 16 * MiB;

/** One explicit-VR-little-endian element (long form for OB/OW/UN/SQ/UT). */
function el(group: number, element: number, vr: string, value: Buffer): Buffer {
  const padded =
    value.length % 2 ? Buffer.concat([value, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]) : value;
  const long = ['OB', 'OW', 'UN', 'SQ', 'UT'].includes(vr);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(padded.length, 8);
  else h.writeUInt16LE(padded.length, 6);
  return Buffer.concat([h, padded]);
}
const str = (s: string) => Buffer.from(s, 'latin1');
const us = (n: number) => Buffer.from(Uint16Array.of(n).buffer);

/** A secondary-capture multi-frame image with `frames` 512×512×16-bit frames of random pixels. */
function bigImage(frames: number, syntax: string, deflate = false): Buffer {
  const sop = `2.25.${BigInt(`0x${randomBytes(12).toString('hex')}`)}`;
  const sc = '1.2.840.10008.5.1.4.1.1.7';
  const dataset = Buffer.concat([
    el(0x0008, 0x0016, 'UI', str(sc)),
    el(0x0008, 0x0018, 'UI', str(sop)),
    el(0x0008, 0x0060, 'CS', str('OT')),
    el(0x0010, 0x0020, 'LO', str('BIG-1')),
    el(0x0020, 0x000d, 'UI', str(`${sop}.1`)),
    el(0x0020, 0x000e, 'UI', str(`${sop}.2`)),
    el(0x0028, 0x0002, 'US', us(1)),
    el(0x0028, 0x0004, 'CS', str('MONOCHROME2')),
    el(0x0028, 0x0008, 'IS', str(String(frames))),
    el(0x0028, 0x0010, 'US', us(512)),
    el(0x0028, 0x0011, 'US', us(512)),
    el(0x0028, 0x0100, 'US', us(16)),
    el(0x0028, 0x0101, 'US', us(16)),
    el(0x0028, 0x0102, 'US', us(15)),
    el(0x0028, 0x0103, 'US', us(0)),
    el(0x7fe0, 0x0010, 'OW', randomBytes(512 * 512 * 2 * frames)),
  ]);
  const metaBody = Buffer.concat([
    el(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    el(0x0002, 0x0002, 'UI', str(sc)),
    el(0x0002, 0x0003, 'UI', str(sop)),
    el(0x0002, 0x0010, 'UI', str(syntax)),
    el(0x0002, 0x0012, 'UI', str('1.2.3.4')),
  ]);
  const groupLength = el(0x0002, 0x0000, 'UL', Buffer.from(Uint32Array.of(metaBody.length).buffer));
  return Buffer.concat([
    Buffer.alloc(128),
    str('DICM'),
    groupLength,
    metaBody,
    deflate ? deflateRawSync(dataset) : dataset,
  ]);
}

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
    return { status: done.status, json: (await done.json()) as Record<string, any>, sha256, id };
  }

  it('a 72 MiB multi-part upload is stored from disk, never buffered (cap 16 MiB), byte-identical', async () => {
    const file = bigImage(144, '1.2.840.10008.1.2.1');
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
    const file = bigImage(40, '1.2.840.10008.1.2.1');
    // Claim 41 frames: the length check must catch it without reading the pixels.
    const at = file.indexOf(Buffer.from([0x28, 0, 0x08, 0, 0x49, 0x53]), 132);
    expect(file.toString('latin1', at + 8, at + 10)).toBe('40');
    file.write('41', at + 8, 'latin1');
    const { status, json } = await upload(file);
    expect(status).toBe(400);
    expect(json.reason).toMatch(/pixel data is \d+ bytes/);
  });

  it('a deflated file over the in-memory cap gets 413 and a clear reason', async () => {
    const file = bigImage(36, '1.2.840.10008.1.2.1.99', true);
    expect(file.length).toBeGreaterThan(CAP);
    const { status, json } = await upload(file);
    expect(status).toBe(413);
    expect(json).toMatchObject({ state: 'failed' });
    expect(json.reason).toMatch(/bytes; files over 16777216 bytes/);
    expect(t.bridge.store.kind).toBe('embedded');
  });
});
