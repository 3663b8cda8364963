import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { validatePart10 } from '../dicom/validate.js';
import type { EmbeddedStore } from '../store/embedded/embedded-store.js';
import { getBytes, getJson, parseMultipart, startTestBridge, stow, type TestBridge } from './test-server.js';

const FAILED = '00081198';
const REFERENCED = '00081199';
const REASON = '00081197';
const TEXT = '0040A160';

describe('STOW-RS and WADO-RS over HTTP with every fixture', () => {
  let t: TestBridge;
  const fixtures = dicomFixtures({ withEcg: true });
  const stored = new Map<string, { path: string; bytes: Buffer; study: string; series: string }>();

  beforeAll(async () => {
    t = await startTestBridge();
  });
  afterAll(async () => t.close());

  it('answers each fixture with the PS3.18 status: 200 stored, 409 conflict, 400 invalid', async () => {
    for (const f of fixtures) {
      const v = validatePart10(f.bytes);
      const res = await stow(t.url, 'nurse-zhao', [{ bytes: f.bytes }]);
      if (!v.ok) {
        expect(res.status, f.path).toBe(400);
        const item = res.json![FAILED]!.Value![0]!;
        expect(item[REASON]!.Value![0]).toBeTypeOf('number');
        expect(String(item[TEXT]!.Value![0])).toBe(v.reason);
        continue;
      }
      const uid = v.record.sopInstanceUid;
      if (stored.has(uid)) {
        // The manifest has the same CT in many transfer syntaxes under one SOP Instance UID: a conflict.
        expect(res.status, f.path).toBe(409);
        expect(res.json![FAILED]!.Value![0]![REASON]!.Value).toEqual([0x0111]);
        continue;
      }
      expect(res.status, `${f.path}: ${res.text}`).toBe(200);
      const ref = res.json![REFERENCED]!.Value![0]!;
      expect(ref['00081155']!.Value).toEqual([uid]);
      expect(String(ref['00081190']!.Value![0])).toContain(`/instances/${uid}`);
      stored.set(uid, {
        path: f.path,
        bytes: f.bytes,
        study: v.record.studyInstanceUid,
        series: v.record.seriesInstanceUid,
      });
    }
    expect(stored.size).toBeGreaterThan(25);
    expect((t.bridge.store as EmbeddedStore).instanceCount()).toBe(stored.size);
  });

  it('returns every stored instance byte-identical (WADO-RS instance)', async () => {
    for (const [uid, s] of stored) {
      const res = await getBytes(
        `${t.url}/dicomweb/studies/${s.study}/series/${s.series}/instances/${uid}`,
        'nurse-zhao',
      );
      expect(res.status, s.path).toBe(200);
      expect(res.contentType).toMatch(/^multipart\/related; type="application\/dicom"/);
      const parts = parseMultipart(res.body, res.contentType);
      expect(parts).toHaveLength(1);
      expect(parts[0]!.headers['content-type']).toBe('application/dicom');
      expect(parts[0]!.body.equals(s.bytes), s.path).toBe(true);
    }
  });

  it('streams a whole study and series instance by instance', async () => {
    const ct = [...stored.values()].filter((s) => s.path.includes('dcmqi-ct-3slice'));
    expect(ct).toHaveLength(3);
    const study = await getBytes(`${t.url}/dicomweb/studies/${ct[0]!.study}`, 'nurse-zhao');
    const parts = parseMultipart(study.body, study.contentType);
    expect(parts.map((p) => p.body.toString('base64')).sort()).toEqual(
      ct.map((s) => s.bytes.toString('base64')).sort(),
    );
    const series = await getBytes(
      `${t.url}/dicomweb/studies/${ct[0]!.study}/series/${ct[0]!.series}`,
      'nurse-zhao',
    );
    expect(parseMultipart(series.body, series.contentType)).toHaveLength(3);
  });

  it('re-sending the same bytes is idempotent (200, nothing new written)', async () => {
    const [uid, s] = [...stored.entries()][0]!;
    const before = await (t.bridge.store as EmbeddedStore).listFiles();
    const res = await stow(t.url, 'nurse-zhao', [{ bytes: s.bytes }]);
    expect(res.status).toBe(200);
    expect(res.json![REFERENCED]!.Value![0]!['00081155']!.Value).toEqual([uid]);
    expect(await (t.bridge.store as EmbeddedStore).listFiles()).toEqual(before);
  });

  it('a request with some good and some bad parts is 202 with both sequences', async () => {
    const good = [...stored.values()][1]!;
    const res = await stow(t.url, 'nurse-zhao', [
      { bytes: good.bytes },
      { bytes: Buffer.from('not dicom at all') },
    ]);
    expect(res.status).toBe(202);
    expect(res.json![REFERENCED]!.Value).toHaveLength(1);
    expect(res.json![FAILED]!.Value![0]![REASON]!.Value).toEqual([0xc000]);
  });

  it('POST /studies/{study} refuses instances of another study (A900) and checks the URL UID', async () => {
    const s = [...stored.values()][0]!;
    const res = await stow(t.url, 'nurse-zhao', [{ bytes: s.bytes }], '/dicomweb/studies/1.2.3.4');
    expect(res.status).toBe(400);
    expect(res.json![FAILED]!.Value![0]![REASON]!.Value).toEqual([0xa900]);
    expect(res.json!['00081190']!.Value![0]).toContain('/studies/1.2.3.4');
    const ok = await stow(t.url, 'nurse-zhao', [{ bytes: s.bytes }], `/dicomweb/studies/${s.study}`);
    expect(ok.status).toBe(200);
    const bad = await stow(t.url, 'nurse-zhao', [{ bytes: s.bytes }], '/dicomweb/studies/1.02.3');
    expect(bad.status).toBe(400);
  });

  it('rejects wrong media types (415) and broken multipart (400) with a reason', async () => {
    const wrong = await fetch(`${t.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { authorization: 'Bearer nurse-zhao', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrong.status).toBe(415);
    expect((await wrong.json()).reason).toMatch(/multipart\/related/);
    const xml = await fetch(`${t.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer nurse-zhao',
        'content-type': 'multipart/related; type="application/dicom+xml"; boundary=x',
      },
      body: '--x\r\n\r\n<a/>\r\n--x--',
    });
    expect(xml.status).toBe(415);
    const unterminated = await fetch(`${t.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer nurse-zhao',
        'content-type': 'multipart/related; type="application/dicom"; boundary=x',
      },
      body: '--x\r\nContent-Type: application/dicom\r\n\r\nabc',
    });
    expect(unterminated.status).toBe(400);
    expect((await unterminated.json()).reason).toMatch(/closing multipart boundary/);
    const empty = await fetch(`${t.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer nurse-zhao',
        'content-type': 'multipart/related; type="application/dicom"; boundary=x',
      },
      body: '--x--\r\n',
    });
    expect(empty.status).toBe(400);
  });

  it('serves metadata as DICOM JSON with PN objects and BulkDataURIs that resolve', async () => {
    const ct = [...stored.entries()].find(([, s]) => s.path === 'dicom/ct/CT_small.dcm')!;
    const [uid, s] = ct;
    const base = `${t.url}/dicomweb/studies/${s.study}/series/${s.series}/instances/${uid}`;
    const meta = await getJson(`${base}/metadata`, 'nurse-zhao');
    expect(meta.status).toBe(200);
    const ds = meta.json[0]!;
    expect(ds['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'CompressedSamples^CT1' }] });
    expect(ds['00280010']).toEqual({ vr: 'US', Value: [128] });
    expect(ds['00080018']!.Value).toEqual([uid]);
    const pixel = ds['7FE00010'] as unknown as { BulkDataURI: string };
    expect(pixel.BulkDataURI).toBe(`${base}/bulkdata/7FE00010`);
    const bulk = await getBytes(pixel.BulkDataURI, 'nurse-zhao');
    expect(bulk.status).toBe(200);
    expect(parseMultipart(bulk.body, bulk.contentType)[0]!.body.length).toBe(128 * 128 * 2);
    const seriesMeta = await getJson(
      `${t.url}/dicomweb/studies/${s.study}/series/${s.series}/metadata`,
      'nurse-zhao',
    );
    expect(seriesMeta.json.length).toBeGreaterThanOrEqual(1);
    const studyMeta = await getJson(`${t.url}/dicomweb/studies/${s.study}/metadata`, 'nurse-zhao');
    expect(studyMeta.json.length).toBeGreaterThanOrEqual(seriesMeta.json.length);
  });

  it('reports absent things as 404 and bad UIDs as 400', async () => {
    expect((await getBytes(`${t.url}/dicomweb/studies/1.2.3.999`, 'nurse-zhao')).status).toBe(404);
    expect((await getBytes(`${t.url}/dicomweb/studies/1..2`, 'nurse-zhao')).status).toBe(400);
  });
});
