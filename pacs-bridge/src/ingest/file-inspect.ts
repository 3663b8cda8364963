// Validation of a Part 10 file on disk without reading its pixel data into memory, for large browser
// uploads. The same checks as `inspectPart10` run on a compact copy — every byte before and after
// Pixel Data (7FE0,0010) — while the pixel data itself is checked structurally from the file: native
// length against the Image Pixel module, encapsulated items walked header by header (offset table,
// fragments, delimiter), and the first bytes of each fragment kept for frame splitting.
// Deflated and big-endian datasets cannot be cut this way; the caller falls back to a bounded buffer.
import { open, type FileHandle } from 'node:fs/promises';
import type { InstanceRecord } from '../api.js';
import { dicomParser, type DpElement, type DpFragment } from '../dicom/dicom-parser-api.js';
import { readFileMeta } from '../dicom/file-meta.js';
import { PIXEL_DATA, pixelDataProblem, readImagePixel } from '../dicom/pixel-data.js';
import { transferSyntax } from '../dicom/transfer-syntaxes.js';
import { inspectPart10 } from '../dicom/validate.js';

export type FileInspection =
  | { ok: true; record: Omit<InstanceRecord, 'institutionId'> }
  | { ok: false; reason: string; sopInstanceUid?: string; sopClassUid?: string }
  /** Cannot be checked in bounded memory (deflated, big endian, huge non-pixel parts). */
  | { ok: 'unsupported'; why: string };

export interface FileFacts {
  size: number;
  sha256: string;
}

/** Non-pixel bytes (before and after Pixel Data) we are willing to hold. */
const MAX_NON_PIXEL_BYTES = 64 * 1024 * 1024;
const FIRST_HEAD = 1024 * 1024;
const MAX_FRAGMENTS = 1_000_000;
const PROBE = 8;

export async function inspectPart10File(path: string, facts: FileFacts): Promise<FileInspection> {
  const handle = await open(path, 'r');
  try {
    return await inspectOpen(handle, facts);
  } finally {
    await handle.close();
  }
}

async function inspectOpen(handle: FileHandle, { size, sha256 }: FileFacts): Promise<FileInspection> {
  let head = await readAt(handle, 0, Math.min(size, FIRST_HEAD));
  const meta = readFileMeta(head);
  if (!meta.ok) return meta;
  const syntax = transferSyntax(meta.meta.transferSyntaxUid ?? '');
  // Unknown syntaxes, deflate and big endian get their exact reason (or the 413) from the buffered path.
  if (!syntax || syntax.deflated || !syntax.littleEndian)
    return { ok: 'unsupported', why: 'transfer syntax cannot be checked from disk' };
  let pixel: DpElement | undefined;
  for (;;) {
    pixel = pixelHeader(head, syntax.uid);
    if (pixel || head.length >= size) break;
    if (head.length >= MAX_NON_PIXEL_BYTES)
      return { ok: 'unsupported', why: 'no pixel data within the first 64 MiB' };
    head = await readAt(handle, 0, Math.min(size, head.length * 4, MAX_NON_PIXEL_BYTES));
  }
  if (!pixel) {
    // Whole file read and no pixel data: a small non-image object, checked as usual.
    return head.length === size ? withFacts(inspectPart10(head), { size, sha256 }) : unreadable();
  }
  const headerLength = syntax.explicitVr ? 12 : 8;
  const tagAt = pixel.dataOffset - headerLength;
  if (head.readUInt16LE(tagAt) !== 0x7fe0 || head.readUInt16LE(tagAt + 2) !== 0x0010) return unreadable();
  const walked = pixel.hadUndefinedLength
    ? await walkEncapsulated(handle, pixel.dataOffset, size)
    : nativeEnd(pixel, size);
  if (!walked.ok) return walked;
  if (size - walked.end > MAX_NON_PIXEL_BYTES)
    return { ok: 'unsupported', why: 'over 64 MiB of data after the pixel data' };
  const tail = await readAt(handle, walked.end, size - walked.end);
  const compact = Buffer.concat([head.subarray(0, tagAt), tail]);
  const inspected = inspectPart10(compact);
  if (!inspected.ok) return inspected;
  const { file, record } = inspected.instance;
  // Pixel checks on a view whose bytes are the compact copy plus the fragments' first bytes.
  const probes = walked.fragments.map((f) => f.probe);
  const byteArray = Buffer.concat([file.dataSet.byteArray, ...probes]);
  const fragments: DpFragment[] = walked.fragments.map((f, i) => ({
    offset: f.offset,
    position: file.dataSet.byteArray.length + i * PROBE,
    length: f.length,
  }));
  const element: DpElement = {
    tag: PIXEL_DATA,
    length: pixel.length,
    dataOffset: pixel.dataOffset,
    ...(pixel.hadUndefinedLength
      ? { hadUndefinedLength: true, encapsulatedPixelData: true, basicOffsetTable: walked.bot, fragments }
      : {}),
  };
  const ds = Object.assign(
    Object.create(Object.getPrototypeOf(file.dataSet) as object) as object,
    file.dataSet,
    {
      byteArray,
      elements: { ...file.dataSet.elements, [PIXEL_DATA]: element },
    },
  ) as typeof file.dataSet;
  const ids = { sopInstanceUid: record.sopInstanceUid, sopClassUid: record.sopClassUid };
  const image = readImagePixel(ds);
  if (!image.ok) return { ok: false, reason: image.reason, ...ids };
  if (!image.pixel) return unreadable();
  const problem = pixelDataProblem(ds, syntax, image.pixel);
  if (problem) return { ok: false, reason: problem, ...ids };
  return {
    ok: true,
    record: {
      ...record,
      size,
      sha256,
      rows: image.pixel.rows,
      columns: image.pixel.columns,
      numberOfFrames: image.pixel.numberOfFrames,
    },
  };
}

/** The top-level Pixel Data element header, if `head` reaches it (nested icon images do not count). */
function pixelHeader(head: Buffer, syntaxUid: string): DpElement | undefined {
  try {
    const ds = dicomParser.parseDicom(head, { untilTag: PIXEL_DATA, TransferSyntaxUID: syntaxUid });
    return ds.elements[PIXEL_DATA];
  } catch (err) {
    // A head cut mid-element throws with the part parsed so far; the header may already be in it.
    const partial = (err as { dataSet?: { elements?: Record<string, DpElement | undefined> } } | null)
      ?.dataSet;
    return partial?.elements?.[PIXEL_DATA];
  }
}

type Walk =
  | {
      ok: true;
      end: number;
      bot: number[];
      fragments: Array<{ offset: number; length: number; probe: Buffer }>;
    }
  | { ok: false; reason: string };

function nativeEnd(pixel: DpElement, size: number): Walk {
  const end = pixel.dataOffset + pixel.length;
  if (end > size) {
    const available = Math.max(0, size - pixel.dataOffset);
    return {
      ok: false,
      reason: `element (7FE0,0010) declares ${pixel.length} bytes but only ${available} remain (file truncated?)`,
    };
  }
  return { ok: true, end, bot: [], fragments: [] };
}

/** Offset table item, fragment items, sequence delimiter — read 8-byte header by header. */
async function walkEncapsulated(handle: FileHandle, start: number, size: number): Promise<Walk> {
  const truncated = {
    ok: false as const,
    reason: 'a pixel data fragment runs past the end of the file (truncated?)',
  };
  let pos = start;
  let bot: number[] | undefined;
  let first = 0;
  const fragments: Array<{ offset: number; length: number; probe: Buffer }> = [];
  for (;;) {
    if (pos + 8 > size) return truncated;
    const header = await readAt(handle, pos, 8);
    const group = header.readUInt16LE(0);
    const elem = header.readUInt16LE(2);
    const length = header.readUInt32LE(4);
    if (group === 0xfffe && elem === 0xe0dd) return { ok: true, end: pos + 8, bot: bot ?? [], fragments };
    if (group !== 0xfffe || elem !== 0xe000 || length === 0xffffffff)
      return { ok: false, reason: 'encapsulated pixel data has an item that is not a fragment' };
    if (pos + 8 + length > size) return truncated;
    if (bot === undefined) {
      if (length % 4 !== 0 || length > 16 * 1024 * 1024)
        return { ok: false, reason: 'the basic offset table of the pixel data is malformed' };
      const table = await readAt(handle, pos + 8, length);
      bot = Array.from({ length: length / 4 }, (_, i) => table.readUInt32LE(i * 4));
      first = pos + 8 + length;
    } else {
      if (fragments.length >= MAX_FRAGMENTS) return { ok: false, reason: 'too many pixel data fragments' };
      const probe = Buffer.alloc(PROBE);
      (await readAt(handle, pos + 8, Math.min(PROBE, length))).copy(probe);
      fragments.push({ offset: pos - first, length, probe });
    }
    pos += 8 + length;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

function withFacts(result: ReturnType<typeof inspectPart10>, facts: FileFacts): FileInspection {
  return result.ok ? { ok: true, record: { ...result.instance.record, ...facts } } : result;
}

const unreadable = (): FileInspection => ({ ok: 'unsupported', why: 'the dataset layout cannot be cut' });
