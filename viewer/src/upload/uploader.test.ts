import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { hasDicmMagic, sortFiles } from './dicomFiles.js';
import { runLimited, uploadFile, type Transport } from './uploader.js';

function dicomBytes(size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0x44, 0x49, 0x43, 0x4d], 128);
  return b;
}

describe('file sorting', () => {
  it('keeps DICM files, unzips archives and reports the rest', async () => {
    const zip = zipSync({
      'a/2.dcm': dicomBytes(200),
      'a/readme.txt': new TextEncoder().encode('hi'),
      'a/10.dcm': dicomBytes(300),
    });
    const sorted = await sortFiles([
      { name: 'x.dcm', blob: new Blob([dicomBytes(150) as BlobPart]) },
      { name: 'notes.txt', blob: new Blob(['hello']) },
      { name: 'empty', blob: new Blob([]) },
      { name: 'study.zip', blob: new Blob([zip as BlobPart]) },
      { name: 'broken.zip', blob: new Blob(['not a zip']) },
    ]);
    expect(sorted.dicom.map((d) => d.name)).toEqual(['study.zip/a/2.dcm', 'study.zip/a/10.dcm', 'x.dcm']);
    expect(sorted.skipped).toEqual([
      { name: 'notes.txt', reason: 'not-dicom' },
      { name: 'empty', reason: 'empty' },
      { name: 'study.zip/a/readme.txt', reason: 'not-dicom' },
      { name: 'broken.zip', reason: 'bad-zip' },
    ]);
    expect(hasDicmMagic(dicomBytes(200).subarray(0, 131))).toBe(false);
    expect(hasDicmMagic(dicomBytes(200))).toBe(true);
  });
});

function fakeServer(opts: {
  partBytes: number;
  failPart?: Record<number, number[]>;
  complete?: { status: number; body: unknown };
}) {
  const puts: string[] = [];
  const failures = { ...opts.failPart };
  const t: Transport = {
    async json(method, path, body) {
      if (path === '/api/uploads') {
        const size = (body as { size: number }).size;
        return {
          status: 201,
          body: { id: 'u1', partBytes: opts.partBytes, parts: Math.ceil(size / opts.partBytes) },
        };
      }
      return (
        opts.complete ?? {
          status: 200,
          body: { state: 'stored', result: { studyInstanceUid: '1.2', sopInstanceUid: '1.2.3' } },
        }
      );
    },
    async putPart(path, data, onProgress) {
      const n = Number(path.split('/').pop());
      const next = failures[n]?.shift();
      if (next === 0) throw new Error('network');
      if (next) return { status: next, body: { reason: `boom ${next}` } };
      onProgress(data.size);
      puts.push(`${n}:${data.size}`);
      return { status: 200, body: {} };
    },
  };
  return { t, puts };
}

describe('chunked upload', () => {
  const file = { name: 'a.dcm', size: 25, data: new Blob([new Uint8Array(25)]) };
  const noSleep = { sleep: async () => undefined };

  it('sends every part in order and reports the stored instance', async () => {
    const { t, puts } = fakeServer({ partBytes: 10 });
    const progress: number[] = [];
    const out = await uploadFile(t, file, { ...noSleep, onProgress: (b) => progress.push(b) });
    expect(puts).toEqual(['1:10', '2:10', '3:5']);
    expect(out).toEqual({ status: 'stored', studyUid: '1.2', sopInstanceUid: '1.2.3' });
    expect(progress.at(-1)).toBe(25);
  });

  it('retries a part after network errors and 5xx, but not after 4xx', async () => {
    const ok = fakeServer({ partBytes: 10, failPart: { 2: [0, 503] } });
    expect((await uploadFile(ok.t, file, noSleep)).status).toBe('stored');
    expect(ok.puts).toEqual(['1:10', '2:10', '3:5']);
    const bad = fakeServer({ partBytes: 10, failPart: { 1: [400] } });
    await expect(uploadFile(bad.t, file, noSleep)).rejects.toThrow(/part 1: boom 400/);
  });

  it('returns the server reason when the file is refused', async () => {
    const { t } = fakeServer({
      partBytes: 100,
      complete: { status: 409, body: { state: 'failed', reason: 'conflict: other bytes' } },
    });
    expect(await uploadFile(t, file, noSleep)).toEqual({
      status: 'refused',
      httpStatus: 409,
      reason: 'conflict: other bytes',
    });
  });

  it('limits concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const tasks = Array.from({ length: 7 }, () => async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await Promise.resolve();
      await Promise.resolve();
      inFlight--;
    });
    await runLimited(tasks, 3);
    expect(peak).toBe(3);
  });
});
