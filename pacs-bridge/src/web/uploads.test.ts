import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import type { UploadProgress } from './uploads.js';
import { auth, startTestBridge, type TestBridge } from './test-server.js';

const fx = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));
const PART = 64 * 1024;

describe('resumable chunked browser upload', () => {
  let t: TestBridge;
  const progress: UploadProgress[] = [];

  beforeAll(async () => {
    t = await startTestBridge({ uploads: { partBytes: PART, maxFileBytes: 4 * 1024 * 1024 } });
    t.bridge.uploadEvents.on('progress', (p) => progress.push(p));
  });
  afterAll(async () => t.close());

  const api = async (method: string, path: string, user: string, body?: unknown, raw?: Buffer) => {
    const res = await fetch(`${t.url}/api/uploads${path}`, {
      method,
      headers: {
        ...auth(user),
        ...(raw
          ? { 'content-type': 'application/octet-stream' }
          : body !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
      },
      ...(raw ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };

  it('takes parts in any order, reports what is missing, resumes, and ingests on complete', async () => {
    const file = fx.get('dicom/mr/siemens-trio-vb17_1.dcm')!;
    const sha256 = createHash('sha256').update(file).digest('hex');
    const created = await api('POST', '', 'nurse-zhao', { name: 'mr.dcm', size: file.length, sha256 });
    expect(created.status).toBe(201);
    const { id, parts } = created.json as { id: string; parts: number };
    expect(parts).toBe(Math.ceil(file.length / PART));
    const part = (n: number) => file.subarray((n - 1) * PART, Math.min(n * PART, file.length));
    // The connection "drops" after a few parts, sent out of order.
    for (const n of [3, 1, parts])
      expect((await api('PUT', `/${id}/parts/${n}`, 'nurse-zhao', undefined, part(n))).status).toBe(200);
    const early = await api('POST', `/${id}/complete`, 'nurse-zhao');
    expect(early.status).toBe(409);
    expect(early.json.reason).toMatch(/parts still missing: 2, 4/);
    const status = await api('GET', `/${id}`, 'nurse-zhao');
    expect(status.json.receivedParts).toEqual([1, 3, parts]);
    for (const n of status.json.missingParts as number[]) {
      expect((await api('PUT', `/${id}/parts/${n}`, 'nurse-zhao', undefined, part(n))).status).toBe(200);
    }
    // Re-sending a part that already arrived is harmless.
    expect((await api('PUT', `/${id}/parts/1`, 'nurse-zhao', undefined, part(1))).status).toBe(200);
    const done = await api('POST', `/${id}/complete`, 'nurse-zhao');
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ state: 'stored', result: { status: 'stored' } });
    const mine = progress.filter((p) => p.uploadId === id);
    expect(mine.at(-1)).toMatchObject({ state: 'stored', bytesReceived: file.length, size: file.length });
    expect(mine.some((p) => p.state === 'receiving' && p.bytesReceived < file.length)).toBe(true);
    const stored = await t.bridge.store.find(done.json.result.sopInstanceUid);
    expect(stored?.sha256).toBe(sha256);
  });

  it('refuses with reasons: too large, wrong part size, bad part number, invalid DICOM', async () => {
    expect((await api('POST', '', 'nurse-zhao', { size: 5 * 1024 * 1024 })).status).toBe(413);
    expect((await api('POST', '', 'nurse-zhao', { size: -1 })).status).toBe(400);
    expect((await api('POST', '', 'nurse-zhao', { size: 10, sha256: 'xyz' })).status).toBe(400);
    const { json } = await api('POST', '', 'nurse-zhao', { size: 10 });
    const wrong = await api('PUT', `/${json.id}/parts/1`, 'nurse-zhao', undefined, Buffer.alloc(11));
    expect(wrong.status).toBe(400);
    expect(wrong.json.reason).toMatch(/exactly 10 bytes/);
    expect((await api('PUT', `/${json.id}/parts/2`, 'nurse-zhao', undefined, Buffer.alloc(10))).status).toBe(
      400,
    );
    expect(
      (await api('PUT', `/${json.id}/parts/1`, 'nurse-zhao', undefined, Buffer.from('0123456789'))).status,
    ).toBe(200);
    const done = await api('POST', `/${json.id}/complete`, 'nurse-zhao');
    expect(done.status).toBe(400);
    expect(done.json.reason).toMatch(/too short|DICM/);
  });

  it('a corrupted assembly (sha256 mismatch) is refused and its parts discarded', async () => {
    const file = fx.get('dicom/mr/MR_small.dcm')!;
    const { json } = await api('POST', '', 'nurse-zhao', { size: file.length, sha256: '0'.repeat(64) });
    await api('PUT', `/${json.id}/parts/1`, 'nurse-zhao', undefined, file);
    const done = await api('POST', `/${json.id}/complete`, 'nurse-zhao');
    expect(done.status).toBe(422);
    expect((await api('GET', `/${json.id}`, 'nurse-zhao')).json.missingParts).toEqual([1]);
  });

  it("another user's session does not exist for them", async () => {
    const { json } = await api('POST', '', 'nurse-zhao', { size: 10 });
    expect((await api('GET', `/${json.id}`, 'dr-other')).status).toBe(404);
    expect((await api('PUT', `/${json.id}/parts/1`, 'dr-other', undefined, Buffer.alloc(10))).status).toBe(
      404,
    );
    expect((await api('GET', '/not-an-upload-id', 'nurse-zhao')).status).toBe(404);
    const badJson = await fetch(`${t.url}/api/uploads`, {
      method: 'POST',
      headers: { ...auth('nurse-zhao'), 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).reason).toBeTruthy();
  });
});
