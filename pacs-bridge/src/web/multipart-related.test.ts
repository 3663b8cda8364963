import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartError, readMultipart, type Part } from './multipart-related.js';

const body = (boundary: string, parts: string[], preamble = '', epilogue = '') =>
  Buffer.from(
    `${preamble}${parts.map((p) => `--${boundary}\r\nContent-Type: application/dicom\r\n\r\n${p}\r\n`).join('')}--${boundary}--${epilogue}`,
    'latin1',
  );

async function collect(
  buf: Buffer,
  boundary: string,
  chunk: number,
  maxPartBytes = 1 << 20,
): Promise<Part[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) chunks.push(buf.subarray(i, i + chunk));
  const out: Part[] = [];
  for await (const p of readMultipart(Readable.from(chunks), boundary, { maxPartBytes, maxParts: 100 }))
    out.push(p);
  return out;
}

describe('multipart/related reader', () => {
  const payloads = ['first part', '', 'has\r\n--almost-the-boundary\r\n inside', 'x'.repeat(5000)];

  it.each([1, 2, 3, 7, 64, 4096])(
    'splits parts identically whatever the chunk size (%i bytes)',
    async (size) => {
      const parts = await collect(
        body('b0und', payloads, 'preamble text\r\n', '\r\nepilogue'),
        'b0und',
        size,
      );
      expect(parts.map((p) => p.body.toString('latin1'))).toEqual(payloads);
      expect(parts.every((p) => p.headers['content-type'] === 'application/dicom')).toBe(true);
    },
  );

  it('reads the boundary parameter, quoted or not', () => {
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary=abc123')).toBe('abc123');
    expect(boundaryOf('multipart/related; boundary="a b:c"; type=application/dicom')).toBe('a b:c');
    expect(boundaryOf('multipart/related; type=application/dicom')).toBeUndefined();
  });

  it('fails a part over the size limit with 413 before reading it all', async () => {
    await expect(collect(body('b', ['y'.repeat(10_000)]), 'b', 512, 1000)).rejects.toMatchObject({
      status: 413,
    });
  });

  it('fails bodies without boundary or without the closing delimiter', async () => {
    await expect(collect(Buffer.from('no boundary here'), 'b', 4)).rejects.toBeInstanceOf(MultipartError);
    await expect(
      collect(Buffer.from('--b\r\nContent-Type: application/dicom\r\n\r\nabc'), 'b', 4),
    ).rejects.toThrow(/closing/);
  });
});
