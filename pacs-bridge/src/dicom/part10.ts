// Parses a Part 10 file into a dicom-parser dataset without ever throwing: every failure, however
// odd the input (truncations, flipped bytes, absurd lengths, deflate bombs), becomes a reason string.
import { inflateRawSync } from 'node:zlib';
import { dicomParser, type DpDataSet, type DpElement } from './dicom-parser-api.js';
import { readFileMeta, type FileMeta } from './file-meta.js';
import { transferSyntax, type TransferSyntax } from './transfer-syntaxes.js';

/** A deflated dataset may not inflate past this: a few KB must not become gigabytes in memory. */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

export interface Part10 {
  meta: FileMeta;
  transferSyntax: TransferSyntax;
  /** The parsed dataset; for deflated files its byteArray is the inflated copy. */
  dataSet: DpDataSet;
}

export type Part10Result = { ok: true; file: Part10 } | { ok: false; reason: string };

export function parsePart10(bytes: Uint8Array): Part10Result {
  const metaResult = readFileMeta(bytes);
  if (!metaResult.ok) return metaResult;
  const meta = metaResult.meta;
  if (!meta.transferSyntaxUid) {
    return { ok: false, reason: 'file meta information lacks the Transfer Syntax UID (0002,0010)' };
  }
  const syntax = transferSyntax(meta.transferSyntaxUid);
  if (!syntax) {
    return { ok: false, reason: `transfer syntax ${printable(meta.transferSyntaxUid)} is not supported` };
  }
  if (meta.end >= bytes.length)
    return { ok: false, reason: 'the file has file meta information but no dataset' };
  let dataSet: DpDataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, { inflater: inflate, TransferSyntaxUID: syntax.uid });
  } catch (err) {
    return { ok: false, reason: describeParseFailure(err, bytes) };
  }
  const overrun = findOverrun(dataSet, dataSet.byteArray.length);
  if (overrun) return { ok: false, reason: overrun };
  return { ok: true, file: { meta, transferSyntax: syntax, dataSet } };
}

function inflate(byteArray: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(byteArray.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  const full = new Uint8Array(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

/** dicom-parser throws strings, Errors, or `{exception, dataSet}` objects; turn each into words. */
function describeParseFailure(err: unknown, bytes: Uint8Array): string {
  const partial = (err as { dataSet?: DpDataSet } | null)?.dataSet;
  if (partial && typeof partial === 'object' && partial.elements) {
    const overrun = findOverrun(partial, partial.byteArray?.length ?? bytes.length);
    if (overrun) return overrun;
  }
  const inner = (err as { exception?: unknown } | null)?.exception ?? err;
  const message =
    inner instanceof Error ? inner.message : typeof inner === 'string' ? inner : 'unknown error';
  if (inner instanceof RangeError && /call stack/i.test(message))
    return 'the dataset is nested too deeply to read';
  if (
    /incorrect header check|invalid|unexpected end of file|maxOutputLength|buffer/i.test(message) &&
    /zlib|inflate|Z_|header check|unexpected end of file|maxOutputLength/i.test(message)
  ) {
    return `the deflated dataset cannot be inflated (${message.slice(0, 120)})`;
  }
  if (/overrun|past end|beyond|end of buffer|position/i.test(message)) {
    return `the file is truncated or an element length runs past its end (${cleanMessage(message)})`;
  }
  return `the dataset cannot be parsed (${cleanMessage(message)})`;
}

const cleanMessage = (m: string): string => m.replace(/^dicomParser\.?/, '').slice(0, 160);

/** The first element (depth first) whose declared value runs past the data, as a reason. */
function findOverrun(dataSet: DpDataSet, end: number, depth = 0): string | undefined {
  if (depth > 64) return 'the dataset is nested too deeply to read';
  for (const element of Object.values(dataSet.elements)) {
    if (!element) continue;
    const problem = elementOverrun(element, end);
    if (problem) return problem;
    for (const item of element.items ?? []) {
      if (item.dataSet) {
        const nested = findOverrun(item.dataSet, end, depth + 1);
        if (nested) return nested;
      }
    }
  }
  return undefined;
}

function elementOverrun(element: DpElement, end: number): string | undefined {
  if (element.encapsulatedPixelData) {
    for (const f of element.fragments ?? []) {
      if (f.position + f.length > end)
        return `a pixel data fragment runs past the end of the file (truncated?)`;
    }
    return undefined;
  }
  if (element.hadUndefinedLength) return undefined;
  if (element.dataOffset + element.length > end) {
    const available = Math.max(0, end - element.dataOffset);
    return `element ${tagText(element.tag)} declares ${element.length} bytes but only ${available} remain (file truncated?)`;
  }
  return undefined;
}

export const tagText = (dp: string): string =>
  `(${dp.slice(1, 5).toUpperCase()},${dp.slice(5, 9).toUpperCase()})`;

const printable = (s: string): string => JSON.stringify(s.length > 70 ? `${s.slice(0, 70)}…` : s);

export type { DpDataSet, DpElement };
