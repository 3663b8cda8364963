// /api/annotations through the real bridge (createPacsBridge: embedded store, access policy, audit),
// over HTTP; only authentication is fixed principals by bearer token.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { validatePart10 } from '../dicom/validate.js';
import { auth, startTestBridge, stow, type TestBridge } from '../web/test-server.js';

const CT = 'dicom/ct-series/dcmqi-ct-3slice/01.dcm';
const bytes = dicomFixtures().find((f) => f.path === CT)!.bytes;
const v = validatePart10(bytes);
if (!v.ok) throw new Error(v.reason);
const { studyInstanceUid: STUDY, seriesInstanceUid: SERIES, sopInstanceUid: SOP } = v.record;

const annotation = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'length',
  studyInstanceUid: STUDY,
  seriesInstanceUid: SERIES,
  sopInstanceUid: SOP,
  frameNumber: 1,
  points: [
    [1, 2, 3],
    [4, 5, 6],
  ],
  stats: { length: 5.2, unit: 'mm' },
  authorId: 'dr-wang',
  createdAt: '2026-11-26T04:00:00.000Z',
  ...extra,
});

describe('annotations saved with a study', () => {
  let t: TestBridge;
  const url = () => `${t.url}/api/annotations/studies/${STUDY}`;
  const put = (user: string, body: unknown) =>
    fetch(url(), {
      method: 'PUT',
      headers: { ...auth(user), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const get = (user: string, suffix = '') => fetch(`${url()}${suffix}`, { headers: auth(user) });

  beforeAll(async () => {
    t = await startTestBridge({ roomsOf: (user) => (user === 'dr-wang' ? ['room-1'] : []) });
    expect((await stow(t.url, 'nurse-zhao', [{ bytes }])).status).toBe(200);
    t.bridge.access.share(STUDY, { roomId: 'room-1' }, 'nurse-zhao');
  });
  afterAll(async () => t.close());

  it('nothing saved yet is version 0', async () => {
    const res = await get('nurse-zhao');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      studyInstanceUid: STUDY,
      version: 0,
      savedAt: null,
      savedBy: null,
      annotations: [],
    });
  });

  it('saves append-only versions; the latest and any earlier one can be read', async () => {
    const first = await put('dr-wang', { annotations: [annotation('a1')], roomId: 'room-1' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ version: 1, savedBy: 'dr-wang', roomId: 'room-1' });
    const second = await put('nurse-zhao', {
      annotations: [annotation('a1'), annotation('a2')],
      baseVersion: 1,
    });
    expect(second.status).toBe(201);

    const latest = (await (await get('dr-wang')).json()) as {
      version: number;
      annotations: Array<{ id: string }>;
    };
    expect(latest.version).toBe(2);
    expect(latest.annotations.map((a) => a.id)).toEqual(['a1', 'a2']);
    const v1 = (await (await get('dr-wang', '?version=1')).json()) as { annotations: unknown[] };
    expect(v1.annotations).toEqual([annotation('a1')]);
    const history = (await (await get('nurse-zhao', '/versions')).json()) as { versions: unknown[] };
    expect(history.versions).toMatchObject([
      { version: 1, savedBy: 'dr-wang', count: 1 },
      { version: 2, savedBy: 'nurse-zhao', count: 2 },
    ]);
    // Both versions are on disk, one JSON line each.
    const lines = (await readFile(join(t.dataDir, 'annotations', `${STUDY}.jsonl`), 'utf8'))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
  });

  it('a stale baseVersion is a conflict', async () => {
    const res = await put('dr-wang', { annotations: [], baseVersion: 1 });
    expect(res.status).toBe(409);
  });

  it('follows the study’s access rules: others get 404 and cannot save', async () => {
    expect((await get('dr-other')).status).toBe(404);
    expect((await put('dr-other', { annotations: [] })).status).toBe(404);
    expect((await get('dr-chen')).status).toBe(404);
    expect((await fetch(url())).status).toBe(401);
    const unknown = `${t.url}/api/annotations/studies/1.2.3.4.5`;
    expect((await fetch(unknown, { headers: auth('admin') })).status).toBe(404);
  });

  it('refuses malformed sets with 400', async () => {
    const bad: unknown[] = [
      [],
      { annotations: 'x' },
      { annotations: [annotation('a', { studyInstanceUid: '1.2.3' })] },
      { annotations: [annotation('a', { kind: 'scribble' })] },
      { annotations: [annotation('a', { points: [[1, 2]] })] },
      { annotations: [annotation('a b')] },
      { annotations: [annotation('a'), annotation('a')] },
      { annotations: [annotation('a', { label: 'x'.repeat(201) })] },
      { annotations: [], extra: 1 },
      { annotations: [], baseVersion: -1 },
    ];
    for (const body of bad)
      expect((await put('dr-wang', body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    const notJson = await fetch(url(), {
      method: 'PUT',
      headers: { ...auth('dr-wang'), 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect(
      (await fetch(`${t.url}/api/annotations/studies/not-a-uid`, { headers: auth('admin') })).status,
    ).toBe(400);
  });

  it('audits reads, saves and refusals', () => {
    const entries = t.bridge.audit.query({ studyInstanceUid: STUDY });
    const annotations = entries.filter((e) => e.detail?.startsWith('annotations'));
    expect(annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'store',
          userId: 'dr-wang',
          result: 'ok',
          detail: 'annotations v1 (1)',
        }),
        expect.objectContaining({
          action: 'store',
          userId: 'nurse-zhao',
          result: 'ok',
          detail: 'annotations v2 (2)',
        }),
        expect.objectContaining({
          action: 'store',
          userId: 'dr-other',
          result: 'denied',
          detail: 'annotations',
        }),
        expect.objectContaining({
          action: 'retrieve',
          userId: 'dr-wang',
          result: 'ok',
          detail: 'annotations v2',
        }),
      ]),
    );
  });
});
