import { describe, expect, it } from 'vitest';
import { dicomFixtures } from './test-fixtures.js';
import { parsePart10 } from './part10.js';
import { frameBytes, readImagePixel } from './pixel-data.js';
import { canDecode, decodeFrame } from './frame-decoders.js';

const fx = new Map(dicomFixtures().map((f) => [f.path, f.bytes]));

function open(path: string) {
  const p = parsePart10(fx.get(path)!);
  if (!p.ok) throw new Error(p.reason);
  const px = readImagePixel(p.file.dataSet);
  if (!px.ok || !px.pixel) throw new Error('no pixels');
  return { file: p.file, pixel: px.pixel };
}

async function decoded(path: string, frame = 0): Promise<Buffer> {
  const { file, pixel } = open(path);
  const raw = frameBytes(file.dataSet, file.transferSyntax, pixel, frame)!;
  if (file.transferSyntax.encoding === 'native') return Buffer.from(raw);
  return Buffer.from(await decodeFrame(file.transferSyntax.uid, raw, pixel));
}

const CT = 'dicom/transfer-syntax/ct-matrix/CTImage.dcm';
const ctVariant = (name: string) => `dicom/transfer-syntax/ct-matrix/CTImage.dcm_${name}.dcm`;

describe('frame decoders reproduce the uncompressed pixels of lossless syntaxes', () => {
  it.each([
    ['RLE', ctVariant('RLELosslessTransferSyntax_1.2.840.10008.1.2.5')],
    ['JPEG-LS lossless', ctVariant('JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80')],
    ['JPEG 2000 lossless', ctVariant('JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90')],
    ['JPEG lossless P14', ctVariant('JPEGProcess14TransferSyntax_1.2.840.10008.1.2.4.57')],
    [
      'Explicit VR big endian (byte-swapped)',
      ctVariant('BigEndianExplicitTransferSyntax_1.2.840.10008.1.2.2'),
    ],
  ])('%s CT equals the implicit-VR original', async (_name, path) => {
    const reference = await decoded(CT);
    const { file, pixel } = open(path);
    if (file.transferSyntax.encoding === 'native') {
      const raw = Buffer.from(frameBytes(file.dataSet, file.transferSyntax, pixel, 0)!);
      expect(raw.swap16().equals(reference)).toBe(true);
    } else {
      expect((await decoded(path)).equals(reference)).toBe(true);
    }
  });

  it.each(['MR_small_RLE', 'MR_small_jp2klossless', 'MR_small_jpeg_ls_lossless'])(
    '%s equals MR_small',
    async (name) => {
      expect(
        (await decoded(`dicom/transfer-syntax/pydicom/${name}.dcm`)).equals(
          await decoded('dicom/mr/MR_small.dcm'),
        ),
      ).toBe(true);
    },
  );

  it('multi-frame fragmented JPEG lossless without offset table matches the RLE copy frame by frame', async () => {
    for (const frame of [0, 1]) {
      const rle = await decoded(
        'dicom/transfer-syntax/multiframe-ct0012/CT0012.not_fragmented_bot_rle.dcm',
        frame,
      );
      const jpeg = await decoded(
        'dicom/transfer-syntax/multiframe-ct0012/CT0012.fragmented_no_bot_jpeg_lossless.57.dcm',
        frame,
      );
      expect(jpeg.equals(rle)).toBe(true);
    }
  });

  it.each([
    ['JPEG baseline', ctVariant('JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50'), 512 * 512],
    ['JPEG 2000 lossy', 'dicom/cr-dx/RG1_J2KI.dcm', 1955 * 1841 * 2],
    ['HTJ2K', 'dicom/transfer-syntax/htj2k/HTJ2K_08_RGB.dcm', 480 * 640 * 3],
    ['JPEG-LS near-lossless', ctVariant('JPEGLSLossyTransferSyntax_1.2.840.10008.1.2.4.81'), 512 * 512 * 2],
    ['US cine JPEG frame 8', 'dicom/us-cine/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm', 240 * 320 * 3],
  ])('%s decodes to the full frame size', async (_n, path, size) => {
    const { pixel } = open(path);
    expect((await decoded(path, pixel.numberOfFrames - 1)).length).toBe(size);
  });

  it('says when it cannot decode (JPEG extended 12-bit) and fails cleanly on corrupt data', async () => {
    const ext = open('dicom/transfer-syntax/pydicom/JPGExtended.dcm');
    expect(canDecode(ext.file.transferSyntax.uid, ext.pixel)).toBe(false);
    const { pixel } = open('dicom/transfer-syntax/pydicom/MR_small_RLE.dcm');
    await expect(decodeFrame('1.2.840.10008.1.2.5', new Uint8Array(80), pixel)).rejects.toThrow(/segments/);
  });
});
