// The platform with a hospital PACS behind it: a real Orthanc (started here on loopback) as the
// source of truth. A clinic's modality (dcmtk storescu) sends to the platform's C-STORE SCP, the
// instances land in Orthanc, and the specialist reads them back through the platform's DICOMweb —
// QIDO-RS from Orthanc, WADO-RS byte for byte as stored. A re-send is idempotent, another encoding
// under the same SOP Instance UID is refused, and Orthanc is left as it was.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@telemed/signaling/protocol';
import { startPlatform, type Platform } from '@telemed/signaling';
import { validatePart10 } from '@telemed/pacs-bridge';
import {
  assertDcmtkInstalled,
  findscu,
  startOrthanc,
  storescu,
  type OrthancInstance,
} from '@telemed/pacs-bridge/testing';
import { DEMO_PASSWORD, login } from './support/api.js';
import { freePortBlock } from './support/ports.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'dicom');
const SERIES = ['01.dcm', '02.dcm', '03.dcm'].map((f) => join(FIXTURES, 'ct-series/dcmqi-ct-3slice', f));
const J2K = join(
  FIXTURES,
  'transfer-syntax/ct-matrix/CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm',
);
const RLE = join(
  FIXTURES,
  'transfer-syntax/ct-matrix/CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm',
);
const STOW_ONLY = join(FIXTURES, 'ct/CT_small.dcm');

const recordOf = (path: string) => {
  const v = validatePart10(readFileSync(path));
  if (!v.ok) throw new Error(`fixture ${path}: ${v.reason}`);
  return v.record;
};

/** A multipart/related body's parts (binary-safe), for checking WADO-RS answers. */
function parts(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const out: Buffer[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const headersEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (headersEnd < 0 || next < 0) break;
    out.push(body.subarray(headersEnd + 4, next - 2));
    at = next;
  }
  return out;
}

describe('platform with an Orthanc PACS upstream', () => {
  let orthanc: OrthancInstance;
  let platform: Platform;
  let dataDir: string;
  let wang: Session;
  let zhao: Session;
  const study = recordOf(SERIES[0]!).studyInstanceUid;
  const ctSop = recordOf(J2K).sopInstanceUid;

  const get = (session: Session, path: string, accept: string) =>
    fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${session.accessToken}`, accept } });
  const orthancCount = async () => ((await (await orthanc.request('/instances')).json()) as string[]).length;

  beforeAll(async () => {
    assertDcmtkInstalled();
    orthanc = await startOrthanc();
    dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-orthanc-'));
    // A block of WebRTC ports of its own, apart from other runs on this machine (one worker here).
    const rtcMinPort = await freePortBlock(20);
    platform = await startPlatform({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      demoPassword: DEMO_PASSWORD,
      dicomPort: 0,
      dicomHost: '127.0.0.1',
      orthancUrl: orthanc.url,
      orthancUsername: orthanc.username,
      orthancPassword: orthanc.password,
      logLevel: 'warn',
      sfuConfig: {
        numWorkers: 1,
        listenIp: '127.0.0.1',
        announcedAddress: '127.0.0.1',
        rtcMinPort,
        rtcMaxPort: rtcMinPort + 19,
        logLevel: 'warn',
      },
    });
    [wang, zhao] = await Promise.all(['dr.wang', 'nurse.zhao'].map((u) => login(platform.url, u)));
  });

  afterAll(async () => {
    await platform?.close();
    await orthanc?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores what the clinic sends over C-STORE in Orthanc, as sent (own transfer syntax)', async () => {
    const peer = {
      host: '127.0.0.1',
      port: platform.pacs!.dimse!.port,
      calledAe: 'TELEMED',
      callingAe: 'CLINIC_CT',
    };
    for (const file of [...SERIES, J2K]) {
      expect(await storescu(peer, file, { ownSyntax: true }), file).toMatchObject({
        outcome: 'sent',
        status: 0,
      });
    }
    expect(await orthancCount()).toBe(4);
    // Orthanc holds the JPEG 2000 instance in JPEG 2000: nothing was transcoded on the way.
    const [id] = (await (
      await orthanc.request('/tools/lookup', { method: 'POST', body: ctSop })
    ).json()) as Array<{ ID: string }>;
    const meta = (
      await (await orthanc.request(`/instances/${id!.ID}/metadata/TransferSyntax`)).text()
    ).trim();
    expect(meta).toBe('1.2.840.10008.1.2.4.90');
  });

  it('answers a re-send as success and another encoding of a stored instance as a conflict, Orthanc unchanged', async () => {
    const peer = {
      host: '127.0.0.1',
      port: platform.pacs!.dimse!.port,
      calledAe: 'TELEMED',
      callingAe: 'CLINIC_CT',
    };
    expect(await storescu(peer, SERIES[0]!, { ownSyntax: true })).toMatchObject({
      outcome: 'sent',
      status: 0,
    });
    expect(await storescu(peer, RLE, { ownSyntax: true })).toMatchObject({ outcome: 'sent', status: 0x0111 });
    expect(await orthancCount()).toBe(4);
  });

  it('serves QIDO-RS from Orthanc to the clinic that sent the study, not to the hospital', async () => {
    const mine = await get(zhao, `/dicomweb/studies?StudyInstanceUID=${study}`, 'application/dicom+json');
    expect(mine.status).toBe(200);
    const rows = (await mine.json()) as Array<Record<string, { Value?: unknown[] }>>;
    expect(rows.map((r) => r['0020000D']?.Value?.[0])).toEqual([study]);
    expect(rows[0]!['00201208']?.Value?.[0]).toBe(3);
    const theirs = await get(wang, `/dicomweb/studies?StudyInstanceUID=${study}`, 'application/dicom+json');
    expect(theirs.status === 204 || ((await theirs.json()) as unknown[]).length === 0).toBe(true);
  });

  it('retrieves the series by WADO-RS byte for byte as Orthanc stored it', async () => {
    const series = recordOf(SERIES[0]!).seriesInstanceUid;
    const res = await get(
      zhao,
      `/dicomweb/studies/${study}/series/${series}`,
      'multipart/related; type="application/dicom"; transfer-syntax=*',
    );
    expect(res.status).toBe(200);
    const got = parts(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? '');
    expect(got).toHaveLength(3);
    // The files Orthanc stored (its own copies) are what the platform must hand out.
    const stored = await Promise.all(
      SERIES.map(async (f) => {
        const [hit] = (await (
          await orthanc.request('/tools/lookup', { method: 'POST', body: recordOf(f).sopInstanceUid })
        ).json()) as Array<{ ID: string }>;
        return Buffer.from(await (await orthanc.request(`/instances/${hit!.ID}/file`)).arrayBuffer());
      }),
    );
    for (const part of got) expect(stored.some((s) => s.equals(part))).toBe(true);
  });

  it('takes STOW-RS into Orthanc too, and findscu sees both doors', async () => {
    const body = readFileSync(STOW_ONLY);
    const boundary = 'e2e-boundary';
    const res = await fetch(`${platform.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${zhao.accessToken}`,
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
      },
      body: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
        body,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(res.status).toBe(200);
    expect(await orthancCount()).toBe(5);
    const peer = {
      host: '127.0.0.1',
      port: platform.pacs!.dimse!.port,
      calledAe: 'TELEMED',
      callingAe: 'CLINIC_CT',
    };
    const found = await findscu(peer, ['QueryRetrieveLevel=STUDY', 'StudyInstanceUID', 'ModalitiesInStudy']);
    expect(found.matches.map((m) => m.StudyInstanceUID).sort()).toEqual(
      [study, recordOf(J2K).studyInstanceUid, recordOf(STOW_ONLY).studyInstanceUid].sort(),
    );
  });
});
