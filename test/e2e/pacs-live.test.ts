// A township clinic's modality sends images (real dcmtk storescu → our C-STORE SCP) for a study the
// clinic attached to a consult room; the specialist in that room hears of each image as it lands and
// may read the study, while a colleague outside the room may not.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ConsultRoom, NotificationEnvelope, Session, StudyUpdate } from '@telemed/signaling/protocol';
import { validatePart10 } from '@telemed/pacs-bridge';
import { connectSocket, createRoom, login, request } from './support/api.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const run = promisify(execFile);
const SERIES = ['01.dcm', '02.dcm', '03.dcm'].map(
  (f) => `test/fixtures/dicom/ct-series/dcmqi-ct-3slice/${f}`,
);

function uidsOf(path: string) {
  const v = validatePart10(readFileSync(path));
  if (!v.ok) throw new Error(`fixture ${path} is not valid: ${v.reason}`);
  return v.record;
}

describe('images streaming into a consult room', () => {
  let platform: TestPlatform;
  let zhao: Session;
  let wang: Session;
  let chen: Session;
  let room: ConsultRoom;
  let wangSocket: Socket;
  const updates: StudyUpdate[] = [];
  const study = uidsOf(SERIES[0]!).studyInstanceUid;

  const api = (session: Session, path: string, init: RequestInit = {}) =>
    fetch(`${platform.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  /** STOWs a copy of a fixture under a new SOP Instance UID (same length, so no re-encoding). */
  async function stowCopyWithNewSop(path: string): Promise<number> {
    const bytes = Buffer.from(readFileSync(path));
    const sop = uidsOf(path).sopInstanceUid;
    const fresh = sop.slice(0, -1) + (sop.endsWith('9') ? '8' : '9');
    const copy = Buffer.from(bytes.toString('latin1').split(sop).join(fresh), 'latin1');
    const boundary = 'telemed-e2e-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      copy,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${platform.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${zhao.accessToken}`,
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
      },
      body,
    });
    return res.status;
  }

  beforeAll(async () => {
    platform = await startTestPlatform({ workers: 1 });
    [zhao, wang, chen] = await Promise.all(
      ['nurse.zhao', 'dr.wang', 'dr.chen'].map((u) => login(platform.url, u)),
    );
    room = await createRoom(platform.url, zhao, 'CT head, fall at home', [wang.user.id]);
    wangSocket = connectSocket(platform.url, wang.accessToken);
    wangSocket.on('notification', (n: NotificationEnvelope) => {
      if (n.method === 'studyUpdated') updates.push(n.data as StudyUpdate);
    });
    await once(wangSocket, 'connect');
    expect((await request(wangSocket, 'join', { roomId: room.id })).ok).toBe(true);
  });

  afterAll(async () => {
    wangSocket?.close();
    await platform?.close();
  });

  it('lets a participant attach a study before its images exist, and refuses a bad UID or an outsider', async () => {
    const attach = await api(zhao, `/api/rooms/${room.id}/studies`, {
      method: 'POST',
      body: JSON.stringify({ studyInstanceUid: study }),
    });
    expect(attach.status).toBe(201);
    expect(
      (await attach.json()).studies.map((s: { studyInstanceUid: string }) => s.studyInstanceUid),
    ).toEqual([study]);

    const bad = await api(zhao, `/api/rooms/${room.id}/studies`, {
      method: 'POST',
      body: JSON.stringify({ studyInstanceUid: '../../etc' }),
    });
    expect(bad.status).toBe(400);
    const outsider = await api(chen, `/api/rooms/${room.id}/studies`);
    expect(outsider.status).toBe(403);
  });

  it('tells the specialist of every image the modality sends, as it arrives', async () => {
    const port = platform.platform.pacs!.dimse!.port;
    for (const [i, file] of SERIES.entries()) {
      await run('storescu', ['-aet', 'CT_TOWNSHIP', '-aec', 'TELEMED', '127.0.0.1', String(port), file]);
      const sop = uidsOf(file).sopInstanceUid;
      await expect
        .poll(() => updates.find((u) => u.sopInstanceUid === sop), { timeout: 10_000 })
        .toBeDefined();
      const update = updates.find((u) => u.sopInstanceUid === sop)!;
      expect(update).toMatchObject({ roomId: room.id, studyInstanceUid: study, newStudy: i === 0 });
      expect(update.counts.instances).toBe(i + 1);
    }
  });

  it('streams new images to an open viewer that watches the study, and refuses to watch what one may not read', async () => {
    const viewer = connectSocket(platform.url, zhao.accessToken);
    const outsider = connectSocket(platform.url, chen.accessToken);
    try {
      await Promise.all([once(viewer, 'connect'), once(outsider, 'connect')]);
      expect(await request(viewer, 'watchStudy', { studyInstanceUid: study })).toEqual({
        ok: true,
        data: {},
      });
      expect(await request(outsider, 'watchStudy', { studyInstanceUid: study })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(await request(viewer, 'watchStudy', { studyInstanceUid: '1.2.evil/../x' })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });

      // Re-sending an image already stored tells nobody anything; a new one does. Re-UID the first slice.
      const heard = new Promise<StudyUpdate>((resolve) =>
        viewer.on('notification', (n: NotificationEnvelope) => {
          if (n.method === 'studyUpdated') resolve(n.data as StudyUpdate);
        }),
      );
      const outsiderHeard: unknown[] = [];
      outsider.on('notification', (n: NotificationEnvelope) => {
        if (n.method === 'studyUpdated') outsiderHeard.push(n.data);
      });
      const stow = await stowCopyWithNewSop(SERIES[0]!);
      expect(stow).toBe(200);
      const update = await Promise.race([
        heard,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no studyUpdated within 10 s')), 10_000),
        ),
      ]);
      expect(update).toMatchObject({ studyInstanceUid: study, newStudy: false, counts: { instances: 4 } });
      expect(update.roomId).toBeUndefined();
      expect(outsiderHeard).toEqual([]);
    } finally {
      viewer.close();
      outsider.close();
    }
  });

  it('lets the specialist in the room read the study, and hides it from a colleague outside', async () => {
    const forWang = await api(wang, `/dicomweb/studies?StudyInstanceUID=${study}`, {
      headers: { accept: 'application/dicom+json' },
    });
    expect(forWang.status).toBe(200);
    const found = (await forWang.json()) as Array<Record<string, { Value?: unknown[] }>>;
    expect(found).toHaveLength(1);
    expect(found[0]!['00201208']?.Value).toEqual([4]); // NumberOfStudyRelatedInstances

    const forChen = await api(chen, `/dicomweb/studies?StudyInstanceUID=${study}`, {
      headers: { accept: 'application/dicom+json' },
    });
    const chenBody = forChen.status === 204 ? [] : ((await forChen.json()) as unknown[]);
    expect(chenBody).toEqual([]);
    const chenMeta = await api(chen, `/dicomweb/studies/${study}/metadata`);
    expect(chenMeta.status).toBe(404);

    const noToken = await fetch(`${platform.url}/dicomweb/studies`);
    expect(noToken.status).toBe(401);
  });
});
