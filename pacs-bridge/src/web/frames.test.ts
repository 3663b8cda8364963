import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomFixtures } from '../dicom/test-fixtures.js';
import { parsePart10 } from '../dicom/part10.js';
import { frameBytes, readImagePixel } from '../dicom/pixel-data.js';
import { validatePart10 } from '../dicom/validate.js';
import { getBytes, parseMultipart, startTestBridge, stow, type TestBridge } from './test-server.js';

const fx = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));
const RLE_CT =
  'dicom/transfer-syntax/ct-matrix/CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm';
const CINE = 'dicom/us-cine/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm';
const EXTENDED = 'dicom/transfer-syntax/pydicom/JPGExtended.dcm';
const BIG_ENDIAN = 'dicom/transfer-syntax/pydicom/MR_small_bigendian.dcm';
const NATIVE_CT = 'dicom/transfer-syntax/ct-matrix/CTImage.dcm';

describe('WADO-RS frames with Accept negotiation', () => {
  let t: TestBridge;
  const urls = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestBridge();
    for (const p of [RLE_CT, CINE, EXTENDED, BIG_ENDIAN]) {
      expect((await stow(t.url, 'nurse-zhao', [{ bytes: fx.get(p)! }])).status).toBe(200);
      const v = validatePart10(fx.get(p)!);
      if (!v.ok) throw new Error(v.reason);
      urls.set(
        p,
        `${t.url}/dicomweb/studies/${v.record.studyInstanceUid}/series/${v.record.seriesInstanceUid}/instances/${v.record.sopInstanceUid}`,
      );
    }
  });
  afterAll(async () => t.close());

  const nativePixels = (path: string): Buffer => {
    const p = parsePart10(fx.get(path)!);
    if (!p.ok) throw new Error();
    const px = readImagePixel(p.file.dataSet);
    if (!px.ok || !px.pixel) throw new Error();
    return Buffer.from(frameBytes(p.file.dataSet, p.file.transferSyntax, px.pixel, 0)!);
  };

  it('serves the original compressed frame by default, with its media type and transfer syntax', async () => {
    const res = await getBytes(`${urls.get(RLE_CT)}/frames/1`, 'nurse-zhao');
    expect(res.status).toBe(200);
    const [part] = parseMultipart(res.body, res.contentType);
    expect(part!.headers['content-type']).toBe('image/dicom-rle; transfer-syntax=1.2.840.10008.1.2.5');
    expect(part!.body.equals(nativePixels(RLE_CT))).toBe(true);
  });

  it('transfer-syntax=* keeps the original bytes as application/octet-stream', async () => {
    const res = await getBytes(
      `${urls.get(CINE)}/frames/1,3,8`,
      'nurse-zhao',
      'multipart/related; type="application/octet-stream"; transfer-syntax=*',
    );
    const parts = parseMultipart(res.body, res.contentType);
    expect(parts).toHaveLength(3);
    expect(parts[0]!.headers['content-type']).toBe(
      'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.50',
    );
    for (const p of parts) expect([p.body[0], p.body[1]]).toEqual([0xff, 0xd8]);
  });

  it('decodes to Explicit VR Little Endian when uncompressed octet-stream is asked for', async () => {
    const res = await getBytes(
      `${urls.get(RLE_CT)}/frames/1`,
      'nurse-zhao',
      'multipart/related; type="application/octet-stream"',
    );
    const [part] = parseMultipart(res.body, res.contentType);
    expect(part!.headers['content-type']).toBe(
      'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1',
    );
    expect(part!.body.equals(nativePixels(NATIVE_CT))).toBe(true);
  });

  it('serves big-endian native frames as little endian', async () => {
    const res = await getBytes(`${urls.get(BIG_ENDIAN)}/frames/1`, 'nurse-zhao');
    const [part] = parseMultipart(res.body, res.contentType);
    expect(part!.body.equals(nativePixels('dicom/mr/MR_small.dcm'))).toBe(true);
  });

  it('406 with a reason for syntaxes it cannot produce', async () => {
    const ext = await getBytes(
      `${urls.get(EXTENDED)}/frames/1`,
      'nurse-zhao',
      'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1',
    );
    expect(ext.status).toBe(406);
    expect(JSON.parse(ext.body.toString()).reason).toMatch(/cannot be decoded/);
    const jpeg = await getBytes(
      `${urls.get(RLE_CT)}/frames/1`,
      'nurse-zhao',
      'multipart/related; type="image/jpeg"',
    );
    expect(jpeg.status).toBe(406);
    const orig = await getBytes(
      `${urls.get(EXTENDED)}/frames/1`,
      'nurse-zhao',
      'multipart/related; type="image/jpeg"; transfer-syntax=1.2.840.10008.1.2.4.51',
    );
    expect(orig.status).toBe(200);
  });

  it('bad frame lists are 400, frames past the end 404', async () => {
    expect((await getBytes(`${urls.get(CINE)}/frames/9`, 'nurse-zhao')).status).toBe(404);
    expect((await getBytes(`${urls.get(CINE)}/frames/0`, 'nurse-zhao')).status).toBe(404);
    expect((await getBytes(`${urls.get(CINE)}/frames/1;2`, 'nurse-zhao')).status).toBe(400);
  });
});
