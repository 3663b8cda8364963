import { describe, expect, it } from 'vitest';
import {
  DicomWebClient,
  DicomWebError,
  parseWadorsImageId,
  withModality,
  type DicomJsonDataset,
} from './dicomweb.js';

function instance(sop: string, number: number, extra: DicomJsonDataset = {}): DicomJsonDataset {
  return {
    '00080018': { vr: 'UI', Value: [sop] },
    '00200013': { vr: 'IS', Value: [number] },
    '00280010': { vr: 'US', Value: [512] },
    ...extra,
  };
}

describe('DicomWebClient', () => {
  it('sends the bearer token to /dicomweb and reads DICOM JSON', async () => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    const client = new DicomWebClient({
      baseUrl: 'https://pacs.example/dicomweb/',
      token: () => Promise.resolve('tok-1'),
      fetch: (input, init) => {
        calls.push({ url: String(input), headers: init?.headers as Record<string, string> });
        return Promise.resolve(new Response(JSON.stringify([instance('1.2.3', 1)]), { status: 200 }));
      },
    });
    const md = await client.seriesMetadata('1.2', '1.2.9');
    expect(md).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://pacs.example/dicomweb/studies/1.2/series/1.2.9/metadata');
    expect(calls[0]!.headers.Authorization).toBe('Bearer tok-1');
    expect(calls[0]!.headers.Accept).toBe('application/dicom+json');
  });

  it('turns errors into DicomWebError with the bridge reason', async () => {
    const client = new DicomWebClient({
      baseUrl: 'https://pacs.example/dicomweb',
      token: () => null,
      fetch: () =>
        Promise.resolve(new Response(JSON.stringify({ reason: 'no such study' }), { status: 404 })),
    });
    const err = await client.searchSeries('9.9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DicomWebError);
    expect((err as DicomWebError).status).toBe(404);
    expect((err as DicomWebError).message).toContain('no such study');
  });

  it('builds one wadors image id per frame, images only, in instance-number order', () => {
    const client = new DicomWebClient({ baseUrl: 'https://h/dicomweb', token: () => null });
    const refs = client.instanceRefs('1.2', '1.2.9', [
      instance('1.2.9.2', 2, { '00280008': { vr: 'IS', Value: ['3'] } }),
      instance('1.2.9.1', 1),
      { '00080018': { vr: 'UI', Value: ['1.2.9.99'] } }, // no Rows: not an image (e.g. SR)
    ]);
    expect(refs.map((r) => r.sopInstanceUid)).toEqual(['1.2.9.1', '1.2.9.2']);
    expect(refs[1]!.imageIds).toEqual(
      [1, 2, 3].map(
        (n) => `wadors:https://h/dicomweb/studies/1.2/series/1.2.9/instances/1.2.9.2/frames/${n}`,
      ),
    );
    expect(parseWadorsImageId(refs[1]!.imageIds[2]!)).toEqual({
      base: 'https://h/dicomweb',
      studyUid: '1.2',
      seriesUid: '1.2.9',
      sopUid: '1.2.9.2',
      frame: 3,
    });
    expect(parseWadorsImageId('wadouri:https://h/x.dcm')).toBeNull();
  });

  it('gives images without a Modality the modality OT, and leaves others alone', () => {
    const bare = instance('1.2.3', 1);
    expect(withModality(bare)['00080060']).toEqual({ vr: 'CS', Value: ['OT'] });
    expect(bare['00080060']).toBeUndefined();
    const ct = instance('1.2.4', 1, { '00080060': { vr: 'CS', Value: ['CT'] } });
    expect(withModality(ct)).toBe(ct);
  });
});
