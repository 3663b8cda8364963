// DICOM JSON (PS3.18 F.2) from a parsed dataset, for WADO-RS /metadata: numbers as JSON numbers,
// PN as {Alphabetic, Ideographic, Phonetic}, sequences nested, and binary values either inline
// (small) or as a BulkDataURI the caller's bulkdata route can serve (Pixel Data and anything large).
import type { DicomJson } from '../api.js';
import type { DpDataSet, DpElement } from './dicom-parser-api.js';
import { jsonTag } from './dicom-parser-api.js';
import { vrForTag } from './dictionary.js';
import type { TextDecode } from './text.js';
import { CHARSET_VRS, decoderFor, uint16, valueBytes } from './values.js';

export type DicomJsonValue = DicomJson[string];

export interface JsonOptions {
  /** URI for a top-level bulk element (tag `GGGGEEEE`); without it, bulk values are left out. */
  bulkDataUri?: (tag: string) => string;
  /** Binary values up to this many bytes are sent inline as base64. */
  inlineBinaryMax?: number;
}

const BINARY_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);
const NUMBER_WIDTH: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, SV: 8, UV: 8 };
const SWAP_WIDTH: Record<string, number> = { OW: 2, OF: 4, OL: 4, OD: 8, OV: 8 };

export function datasetToJson(
  ds: DpDataSet,
  explicitVr: boolean,
  littleEndian: boolean,
  options: JsonOptions = {},
): DicomJson {
  const ctx: Ctx = {
    explicitVr,
    littleEndian,
    options,
    decode: decoderFor(ds),
    pixelRepresentation: uint16(ds, 'x00280103') ?? 0,
  };
  return convert(ds, ctx, 0);
}

interface Ctx {
  explicitVr: boolean;
  littleEndian: boolean;
  options: JsonOptions;
  decode: TextDecode;
  pixelRepresentation: number;
}

function convert(ds: DpDataSet, ctx: Ctx, depth: number): DicomJson {
  const out: DicomJson = {};
  const tags = Object.keys(ds.elements).sort();
  for (const dpTagName of tags) {
    const element = ds.elements[dpTagName];
    if (!element) continue;
    const tag = jsonTag(dpTagName);
    // File meta is not part of the dataset; group lengths and delimiters carry no information.
    if (tag.startsWith('0002') || tag.endsWith('0000') || tag.startsWith('FFFE')) continue;
    const value = convertElement(ds, element, tag, ctx, depth);
    if (value) out[tag] = value;
  }
  return out;
}

function vrOf(element: DpElement, tag: string, ctx: Ctx): string {
  if (element.items) return 'SQ';
  if (ctx.explicitVr && element.vr) return element.vr;
  if (tag === '7FE00010') return 'OW';
  return vrForTag(tag, ctx.pixelRepresentation);
}

function convertElement(
  ds: DpDataSet,
  element: DpElement,
  tag: string,
  ctx: Ctx,
  depth: number,
): DicomJsonValue | undefined {
  const vr = vrOf(element, tag, ctx);
  if (vr === 'SQ') {
    if (depth > 32) return { vr };
    const items = (element.items ?? []).map((item) =>
      item.dataSet ? convert(item.dataSet, ctx, depth + 1) : {},
    );
    return items.length ? { vr, Value: items } : { vr };
  }
  if (BINARY_VRS.has(vr) || element.encapsulatedPixelData) {
    const bulk =
      element.encapsulatedPixelData ||
      tag === '7FE00010' ||
      element.length > (ctx.options.inlineBinaryMax ?? 1024);
    if (bulk && depth === 0 && ctx.options.bulkDataUri)
      return { vr, BulkDataURI: ctx.options.bulkDataUri(tag) };
    if (bulk) return { vr };
    const bytes = binaryValueLE(ds, element, vr, ctx.littleEndian);
    return bytes.length ? { vr, InlineBinary: Buffer.from(bytes).toString('base64') } : { vr };
  }
  if (element.length === 0) return { vr };
  const width = NUMBER_WIDTH[vr];
  if (width) return { vr, Value: readNumbers(ds, element, vr, width, ctx.littleEndian) };
  if (vr === 'AT') return { vr, Value: readAttributeTags(ds, element) };
  const text = stringValue(ds, element, vr, ctx.decode);
  if (vr === 'ST' || vr === 'LT' || vr === 'UT' || vr === 'UR')
    return { vr, Value: [text.replace(/[\0 ]+$/, '')] };
  const parts = text.split('\\').map((s) => s.replace(/[\0 ]+$/, '').replace(/^ +/, ''));
  if (vr === 'PN') return { vr, Value: parts.map(personName) };
  if (vr === 'IS' || vr === 'DS') return { vr, Value: parts.map((p) => (p === '' ? null : numberOrText(p))) };
  return { vr, Value: parts.map((p) => (p === '' ? null : p)) };
}

function stringValue(ds: DpDataSet, element: DpElement, vr: string, decode: TextDecode): string {
  const bytes = valueBytes(ds, element);
  if (CHARSET_VRS.has(vr)) return decode(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function personName(value: string): Record<string, string> | null {
  if (value === '') return null;
  const [alphabetic, ideographic, phonetic] = value.split('=');
  const pn: Record<string, string> = {};
  if (alphabetic) pn.Alphabetic = alphabetic;
  if (ideographic) pn.Ideographic = ideographic;
  if (phonetic) pn.Phonetic = phonetic;
  return pn;
}

function numberOrText(s: string): number | string {
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

function readNumbers(
  ds: DpDataSet,
  element: DpElement,
  vr: string,
  width: number,
  le: boolean,
): Array<number | string> {
  const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset, ds.byteArray.byteLength);
  const count = Math.floor(element.length / width);
  const out: Array<number | string> = [];
  for (let i = 0; i < count; i++) {
    const at = element.dataOffset + i * width;
    if (at + width > ds.byteArray.length) break;
    switch (vr) {
      case 'US':
        out.push(view.getUint16(at, le));
        break;
      case 'SS':
        out.push(view.getInt16(at, le));
        break;
      case 'UL':
        out.push(view.getUint32(at, le));
        break;
      case 'SL':
        out.push(view.getInt32(at, le));
        break;
      case 'FL':
        out.push(view.getFloat32(at, le));
        break;
      case 'FD':
        out.push(view.getFloat64(at, le));
        break;
      case 'SV':
        out.push(bigToJson(view.getBigInt64(at, le)));
        break;
      case 'UV':
        out.push(bigToJson(view.getBigUint64(at, le)));
        break;
    }
  }
  return out;
}

const bigToJson = (b: bigint): number | string =>
  b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(b) : b.toString();

function readAttributeTags(ds: DpDataSet, element: DpElement): string[] {
  const out: string[] = [];
  for (let at = element.dataOffset; at + 4 <= element.dataOffset + element.length; at += 4) {
    const g = ds.byteArrayParser.readUint16(ds.byteArray, at);
    const e = ds.byteArrayParser.readUint16(ds.byteArray, at + 2);
    out.push(((g << 16) | e).toString(16).toUpperCase().padStart(8, '0').slice(-8));
  }
  return out;
}

/** A binary value in little endian (DICOM JSON and octet-stream bulk data are little endian). */
export function binaryValueLE(
  ds: DpDataSet,
  element: DpElement,
  vr: string,
  littleEndian: boolean,
): Uint8Array {
  const bytes = valueBytes(ds, element);
  const width = SWAP_WIDTH[vr];
  if (littleEndian || !width) return bytes;
  return swapBytes(bytes, width);
}

export function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const whole = bytes.length - (bytes.length % width);
  for (let i = 0; i < whole; i += width) {
    for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j]!;
  }
  out.set(bytes.subarray(whole), whole);
  return out;
}
