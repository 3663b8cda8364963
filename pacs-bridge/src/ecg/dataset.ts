// Typed accessors over a dcmjs naturalized dataset. dcmjs hands back single values bare and
// multiple values as arrays, numbers as numbers or strings depending on the VR, person names as
// [{ Alphabetic }]; these helpers flatten that so the waveform code reads like the standard.
import type { NaturalDataset } from './dcmjs.js';
import type { CodedConcept } from './model.js';

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

export function str(ds: NaturalDataset, key: string): string | undefined {
  const v = first(ds[key]);
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'Alphabetic' in v) {
    const a = (v as { Alphabetic?: unknown }).Alphabetic;
    return typeof a === 'string' && a.replace(/\^/g, '').trim() !== '' ? a : undefined;
  }
  return undefined;
}

export function num(ds: NaturalDataset, key: string): number | undefined {
  const v = first(ds[key]);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function seq(ds: NaturalDataset, key: string): NaturalDataset[] {
  const v = ds[key];
  if (!Array.isArray(v)) return [];
  return v.filter(
    (item): item is NaturalDataset =>
      item !== null &&
      typeof item === 'object' &&
      !ArrayBuffer.isView(item) &&
      !(item instanceof ArrayBuffer),
  );
}

export function code(item: NaturalDataset | undefined): CodedConcept | undefined {
  if (!item) return undefined;
  const value = str(item, 'CodeValue') ?? str(item, 'LongCodeValue') ?? str(item, 'URNCodeValue');
  if (value === undefined) return undefined;
  const meaning = str(item, 'CodeMeaning');
  return { value, scheme: str(item, 'CodingSchemeDesignator') ?? '', ...(meaning ? { meaning } : {}) };
}

/** OB/OW values come as a list of ArrayBuffers (one per fragment); join them into one view. */
export function bytes(ds: NaturalDataset, key: string): Uint8Array | undefined {
  const v = ds[key];
  const parts = (Array.isArray(v) ? v : [v]).filter(
    (p): p is ArrayBuffer | ArrayBufferView => p instanceof ArrayBuffer || ArrayBuffer.isView(p),
  );
  if (parts.length === 0) return undefined;
  const views = parts.map((p) =>
    p instanceof ArrayBuffer ? new Uint8Array(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength),
  );
  if (views.length === 1) return views[0];
  const out = new Uint8Array(views.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of views) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
