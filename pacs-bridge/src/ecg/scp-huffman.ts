// SCP-ECG entropy coding (section 2 tables, used by sections 5 and 6). Codes are read MSB first;
// the tables store each base code bit-reversed; a code whose total length exceeds its prefix is
// followed by the value itself as a two's-complement integer of (total − prefix) bits; a "table
// mode switch" of 0 means "continue with table number <base value>". Without section 2 the data
// are plain 16-bit little-endian integers.
import { EcgError } from './model.js';

interface CodeStructure {
  prefixBits: number;
  totalBits: number;
  /** 1 = a value code, 0 = switch to table `baseValue`. */
  modeSwitch: number;
  baseValue: number;
  /** The prefix as read from the stream (MSB-first), i.e. the stored base code bit-reversed. */
  prefix: number;
}

export interface HuffmanTable {
  byCode: Map<number, CodeStructure>;
  maxPrefixBits: number;
}

/** "Number of Huffman tables" value that means: use the default table of the standard. */
export const DEFAULT_TABLE_MARK = 19999;

function reverseBits(value: number, width: number): number {
  let out = 0;
  for (let i = 0; i < width; i++) out = (out << 1) | ((value >>> i) & 1);
  return out >>> 0;
}

// Key: the prefix length and its bits, so "0" and "00" are distinct.
const key = (bits: number, code: number): number => bits * 0x1_0000_0000 + code;

function buildTable(structures: Array<Omit<CodeStructure, 'prefix'> & { baseCode: number }>): HuffmanTable {
  const byCode = new Map<number, CodeStructure>();
  let maxPrefixBits = 0;
  for (const s of structures) {
    if (
      s.prefixBits < 1 ||
      s.prefixBits > 32 ||
      s.totalBits < s.prefixBits ||
      s.totalBits - s.prefixBits > 32
    ) {
      throw new EcgError(
        'malformed',
        `SCP-ECG Huffman table has a code of ${s.prefixBits}/${s.totalBits} bits`,
      );
    }
    const prefix = reverseBits(s.baseCode, s.prefixBits);
    byCode.set(key(s.prefixBits, prefix), { ...s, prefix });
    maxPrefixBits = Math.max(maxPrefixBits, s.prefixBits);
  }
  return { byCode, maxPrefixBits };
}

/** The default table of the standard (EN 1064 annex, 19 code structures). */
export const DEFAULT_TABLE: HuffmanTable = buildTable(
  // prettier-ignore
  [
    [1, 1, 0, 0], [3, 3, 1, 1], [3, 3, -1, 5], [4, 4, 2, 3], [4, 4, -2, 11], [5, 5, 3, 7], [5, 5, -3, 23],
    [6, 6, 4, 15], [6, 6, -4, 47], [7, 7, 5, 31], [7, 7, -5, 95], [8, 8, 6, 63], [8, 8, -6, 191],
    [9, 9, 7, 127], [9, 9, -7, 383], [10, 10, 8, 255], [10, 10, -8, 767],
    // The two escape codes: the next 8 or 16 bits carry the value itself.
    [10, 18, 0, 511], [10, 26, 0, 1023],
  ].map(([prefixBits, totalBits, baseValue, baseCode]) => ({
    prefixBits: prefixBits!, totalBits: totalBits!, modeSwitch: 1, baseValue: baseValue!, baseCode: baseCode!,
  })),
);

/**
 * Section 2 → tables. Returns undefined when there is no section 2 (data not Huffman-coded) and
 * the default table when section 2 says 19999.
 */
export function readHuffmanTables(section2: Uint8Array | undefined): HuffmanTable[] | undefined {
  if (!section2) return undefined;
  const view = new DataView(section2.buffer, section2.byteOffset, section2.byteLength);
  if (section2.byteLength < 2) throw new EcgError('malformed', 'SCP-ECG section 2 is empty');
  const count = view.getUint16(0, true);
  if (count === DEFAULT_TABLE_MARK) return [DEFAULT_TABLE];
  const tables: HuffmanTable[] = [];
  let o = 2;
  for (let t = 0; t < count; t++) {
    if (o + 2 > view.byteLength)
      throw new EcgError('malformed', `SCP-ECG section 2 ends inside table ${t + 1}`);
    const n = view.getUint16(o, true);
    o += 2;
    if (o + n * 9 > view.byteLength)
      throw new EcgError('malformed', `SCP-ECG section 2 ends inside table ${t + 1}`);
    const structures = [];
    for (let i = 0; i < n; i++, o += 9) {
      structures.push({
        prefixBits: view.getUint8(o),
        totalBits: view.getUint8(o + 1),
        modeSwitch: view.getUint8(o + 2),
        baseValue: view.getInt16(o + 3, true),
        baseCode: view.getUint32(o + 5, true),
      });
    }
    tables.push(buildTable(structures));
  }
  if (tables.length === 0) throw new EcgError('malformed', 'SCP-ECG section 2 defines no Huffman table');
  return tables;
}

/** Decodes exactly `count` values of one lead. `tables` undefined = 16-bit integers, no coding. */
export function decodeLead(data: Uint8Array, count: number, tables: HuffmanTable[] | undefined): Int32Array {
  // Every value takes at least one bit: refuse impossible counts before allocating for them.
  if (count > data.byteLength * 8) {
    throw new EcgError(
      'malformed',
      `SCP-ECG lead data (${data.byteLength} bytes) cannot hold ${count} samples`,
    );
  }
  const out = new Int32Array(count);
  if (!tables) {
    if (data.byteLength < count * 2) {
      throw new EcgError(
        'malformed',
        `SCP-ECG lead data has ${data.byteLength} bytes for ${count} 16-bit samples`,
      );
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
    return out;
  }
  const totalBits = data.byteLength * 8;
  let pos = 0;
  const bit = (): number => {
    if (pos >= totalBits) {
      throw new EcgError('malformed', `SCP-ECG Huffman data ends early (needed ${count} samples)`);
    }
    const b = (data[pos >> 3]! >> (7 - (pos & 7))) & 1;
    pos++;
    return b;
  };
  let table = tables[0]!;
  for (let i = 0; i < count;) {
    let code = 0;
    let entry: CodeStructure | undefined;
    for (let len = 1; !entry; len++) {
      if (len > table.maxPrefixBits)
        throw new EcgError('malformed', 'SCP-ECG Huffman data contains an invalid code');
      code = ((code << 1) | bit()) >>> 0;
      entry = table.byCode.get(key(len, code));
    }
    if (entry.modeSwitch === 0) {
      const next = tables[entry.baseValue - 1];
      if (!next)
        throw new EcgError('malformed', `SCP-ECG Huffman code switches to missing table ${entry.baseValue}`);
      table = next;
      continue;
    }
    const extra = entry.totalBits - entry.prefixBits;
    if (extra === 0) {
      out[i++] = entry.baseValue;
      continue;
    }
    let value = 0;
    for (let k = 0; k < extra; k++) value = value * 2 + bit();
    out[i++] = value >= 2 ** (extra - 1) ? value - 2 ** extra : value; // two's complement
  }
  return out;
}

/** Undoes SCP-ECG difference encoding in place: 1 = first differences, 2 = second differences. */
export function undoDifferences(values: Int32Array, order: number): Int32Array {
  if (order === 1) {
    for (let i = 1; i < values.length; i++) values[i] = values[i]! + values[i - 1]!;
  } else if (order === 2) {
    for (let i = 2; i < values.length; i++) values[i] = values[i]! + 2 * values[i - 1]! - values[i - 2]!;
  } else if (order !== 0) {
    throw new EcgError('unsupported', `SCP-ECG difference encoding ${order} is not defined`);
  }
  return values;
}
