// Reading single values out of a parsed dataset: strings with the dataset's character set, integer
// strings strictly (IS "1A" is an error, not 1), binary numbers in the dataset's byte order.
import type { DpDataSet, DpElement } from './dicom-parser-api.js';
import { textDecoderFor, type TextDecode } from './text.js';

/** VRs whose bytes follow Specific Character Set; every other string VR is plain ASCII. */
export const CHARSET_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'PN', 'UC']);

export function valueBytes(ds: DpDataSet, element: DpElement): Uint8Array {
  const end = Math.min(ds.byteArray.length, element.dataOffset + element.length);
  return ds.byteArray.subarray(element.dataOffset, Math.max(element.dataOffset, end));
}

/** Latin-1 view of the whole value, without trailing padding. */
export function rawString(ds: DpDataSet, tag: string): string | undefined {
  const element = ds.elements[tag];
  if (!element || element.hadUndefinedLength || element.items) return undefined;
  let s = '';
  for (const b of valueBytes(ds, element)) s += String.fromCharCode(b);
  s = s.replace(/[\0 ]+$/, '');
  return s === '' ? undefined : s;
}

/** First value of a string element, trimmed, or undefined when absent or empty. */
export function firstString(ds: DpDataSet, tag: string): string | undefined {
  return rawString(ds, tag)?.split('\\')[0]?.trim() || undefined;
}

export function decoderFor(ds: DpDataSet): TextDecode {
  return textDecoderFor(rawString(ds, 'x00080005'));
}

/** A text value decoded with the dataset's character set (whole value, all components). */
export function decodedString(ds: DpDataSet, tag: string, decode: TextDecode): string | undefined {
  const element = ds.elements[tag];
  if (!element || element.hadUndefinedLength || element.items) return undefined;
  const s = decode(valueBytes(ds, element))
    .replace(/[\0 ]+$/, '')
    .trim();
  return s === '' ? undefined : s;
}

export type IntResult = { ok: true; value: number | undefined } | { ok: false; raw: string };

/** An IS value: absent → undefined; malformed → an error carrying the raw text. */
export function integerString(ds: DpDataSet, tag: string): IntResult {
  const s = firstString(ds, tag);
  if (s === undefined) return { ok: true, value: undefined };
  if (!/^[+-]?\d{1,12}$/.test(s)) return { ok: false, raw: s };
  return { ok: true, value: Number(s) };
}

export function uint16(ds: DpDataSet, tag: string): number | undefined {
  const element = ds.elements[tag];
  if (!element || element.length < 2) return undefined;
  return ds.byteArrayParser.readUint16(ds.byteArray, element.dataOffset);
}
