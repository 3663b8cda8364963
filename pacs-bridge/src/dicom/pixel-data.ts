// Pixel Data (7FE0,0010) consistency and frame access. Native pixel data must be exactly as long as
// the Image Pixel module says (plus one pad byte); encapsulated pixel data must be an offset table
// item followed by fragments that can be assigned to the frames. The same grouping serves WADO-RS
// /frames, so what validation accepted is what retrieval can cut into frames.
import type { DpDataSet, DpElement, DpFragment } from './dicom-parser-api.js';
import type { TransferSyntax } from './transfer-syntaxes.js';
import { firstString, integerString, uint16 } from './values.js';

export const PIXEL_DATA = 'x7fe00010';

export interface ImagePixel {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  photometricInterpretation: string;
  numberOfFrames: number;
  planarConfiguration: number;
}

export type ImagePixelResult = { ok: true; pixel: ImagePixel | undefined } | { ok: false; reason: string };

/** The Image Pixel attributes when Pixel Data is present; undefined pixel for non-image objects. */
export function readImagePixel(ds: DpDataSet): ImagePixelResult {
  const frames = integerString(ds, 'x00280008');
  if (!frames.ok)
    return {
      ok: false,
      reason: `Number of Frames (0028,0008) is not an integer: ${JSON.stringify(frames.raw)}`,
    };
  if (!ds.elements[PIXEL_DATA]) return { ok: true, pixel: undefined };
  const rows = uint16(ds, 'x00280010');
  const columns = uint16(ds, 'x00280011');
  const bitsAllocated = uint16(ds, 'x00280100');
  const samplesPerPixel = uint16(ds, 'x00280002') ?? 1;
  if (!rows || !columns)
    return { ok: false, reason: 'image has Pixel Data but no Rows/Columns (0028,0010/0011)' };
  if (bitsAllocated === undefined || ![1, 8, 16, 32, 64].includes(bitsAllocated)) {
    return {
      ok: false,
      reason: `Bits Allocated (0028,0100) is ${bitsAllocated ?? 'missing'} (expected 1, 8, 16, 32 or 64)`,
    };
  }
  if (samplesPerPixel < 1 || samplesPerPixel > 4) {
    return { ok: false, reason: `Samples per Pixel (0028,0002) is ${samplesPerPixel}` };
  }
  const numberOfFrames = frames.value ?? 1;
  if (numberOfFrames < 1) return { ok: false, reason: `Number of Frames (0028,0008) is ${numberOfFrames}` };
  return {
    ok: true,
    pixel: {
      rows,
      columns,
      samplesPerPixel,
      bitsAllocated,
      bitsStored: uint16(ds, 'x00280101') ?? bitsAllocated,
      pixelRepresentation: uint16(ds, 'x00280103') ?? 0,
      photometricInterpretation:
        firstString(ds, 'x00280004') ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2'),
      numberOfFrames,
      planarConfiguration: uint16(ds, 'x00280006') ?? 0,
    },
  };
}

/** Bytes of one native frame (bit-packed frames round up only for the whole value). */
export function nativeFrameBits(p: ImagePixel): number {
  const pixelsPerSample = p.photometricInterpretation.endsWith('_422') ? 2 : p.samplesPerPixel;
  return p.rows * p.columns * pixelsPerSample * p.bitsAllocated;
}

export function expectedNativeLength(p: ImagePixel): number {
  return Math.ceil((nativeFrameBits(p) * p.numberOfFrames) / 8);
}

/** Why the pixel data does not fit the Image Pixel module and transfer syntax; undefined if it does. */
export function pixelDataProblem(ds: DpDataSet, syntax: TransferSyntax, p: ImagePixel): string | undefined {
  const element = ds.elements[PIXEL_DATA]!;
  if (syntax.encoding === 'native') {
    if (element.encapsulatedPixelData || element.hadUndefinedLength) {
      return `pixel data is encapsulated, but ${syntax.name} needs native pixel data`;
    }
    const expected = expectedNativeLength(p);
    if (element.length !== expected && element.length !== expected + (expected % 2)) {
      return (
        `pixel data is ${element.length} bytes, but ${p.rows}×${p.columns}×${p.samplesPerPixel} samples × ` +
        `${p.bitsAllocated} bits × ${p.numberOfFrames} frame(s) needs ${expected}`
      );
    }
    return undefined;
  }
  if (!element.encapsulatedPixelData) {
    return `${syntax.name} needs encapsulated pixel data (offset table item and fragments), but the pixel data has a defined length`;
  }
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) return 'encapsulated pixel data has no fragments';
  if (fragments.some((f) => f.length === 0)) return 'encapsulated pixel data has an empty fragment';
  const grouped = groupFragments(ds, element, syntax, p.numberOfFrames);
  if (!grouped.ok) return grouped.reason;
  return undefined;
}

type Grouping = { ok: true; frames: DpFragment[][] } | { ok: false; reason: string };

/** Assigns fragments to frames: by the offset table, one per frame, or by codec start markers. */
export function groupFragments(
  ds: DpDataSet,
  element: DpElement,
  syntax: TransferSyntax,
  frames: number,
): Grouping {
  const fragments = element.fragments ?? [];
  const bot = element.basicOffsetTable ?? [];
  if (fragments.length < frames) {
    return {
      ok: false,
      reason: `encapsulated pixel data has ${fragments.length} fragment(s) for ${frames} frame(s)`,
    };
  }
  if (frames === 1) return { ok: true, frames: [fragments] };
  if (bot.length > 0) {
    if (bot.length !== frames) {
      return { ok: false, reason: `basic offset table has ${bot.length} entries for ${frames} frames` };
    }
    const out: DpFragment[][] = [];
    for (let i = 0; i < frames; i++) {
      const start = bot[i]!;
      const end = i + 1 < frames ? bot[i + 1]! : Infinity;
      if (!fragments.some((f) => f.offset === start) || end <= start) {
        return { ok: false, reason: `basic offset table entry ${i + 1} does not point at a fragment` };
      }
      out.push(fragments.filter((f) => f.offset >= start && f.offset < end));
    }
    return { ok: true, frames: out };
  }
  if (fragments.length === frames) return { ok: true, frames: fragments.map((f) => [f]) };
  if (syntax.uid === '1.2.840.10008.1.2.5') {
    return {
      ok: false,
      reason: `RLE needs one fragment per frame, found ${fragments.length} for ${frames} frames`,
    };
  }
  const out: DpFragment[][] = [];
  for (const f of fragments) {
    if (startsFrame(ds.byteArray, f.position) || out.length === 0) out.push([f]);
    else out[out.length - 1]!.push(f);
  }
  if (out.length !== frames) {
    return {
      ok: false,
      reason: `cannot split ${fragments.length} fragments into ${frames} frames (no offset table)`,
    };
  }
  return { ok: true, frames: out };
}

/** A JPEG/JPEG-LS SOI, a JPEG 2000/HTJ2K codestream SOC+SIZ, or a JP2 signature box. */
function startsFrame(b: Uint8Array, at: number): boolean {
  if (b[at] === 0xff && b[at + 1] === 0xd8) return true;
  if (b[at] === 0xff && b[at + 1] === 0x4f && b[at + 2] === 0xff && b[at + 3] === 0x51) return true;
  return b[at] === 0 && b[at + 1] === 0 && b[at + 2] === 0 && b[at + 3] === 0x0c && b[at + 4] === 0x6a;
}

/** One frame's bytes as stored (native: raw slice in file byte order; encapsulated: fragments joined). */
export function frameBytes(
  ds: DpDataSet,
  syntax: TransferSyntax,
  p: ImagePixel,
  index: number,
): Uint8Array | undefined {
  const element = ds.elements[PIXEL_DATA];
  if (!element || index < 0 || index >= p.numberOfFrames) return undefined;
  if (syntax.encoding === 'native') {
    const bits = nativeFrameBits(p);
    if (bits % 8 !== 0) return undefined;
    const size = bits / 8;
    const start = element.dataOffset + index * size;
    return ds.byteArray.subarray(start, start + size);
  }
  const grouped = groupFragments(ds, element, syntax, p.numberOfFrames);
  if (!grouped.ok) return undefined;
  const parts = grouped.frames[index]!.map((f) => ds.byteArray.subarray(f.position, f.position + f.length));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
