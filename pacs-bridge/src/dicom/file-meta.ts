// File Meta Information (PS3.10 7.1): the 128-byte preamble, 'DICM', and group 0002 in explicit VR
// little endian. Read by hand rather than through dicom-parser so that each way it can be wrong gets
// its own reason, before anything trusts the transfer syntax it names.

export interface FileMeta {
  /** Offset of the first dataset byte after group 0002. */
  end: number;
  mediaStorageSopClassUid?: string;
  mediaStorageSopInstanceUid?: string;
  transferSyntaxUid?: string;
  implementationClassUid?: string;
  sourceAeTitle?: string;
}

export type FileMetaResult = { ok: true; meta: FileMeta } | { ok: false; reason: string };

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

const ascii = (b: Uint8Array, start: number, len: number): string => {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[start + i]!);
  // UIDs are padded with NUL, other strings with space (PS3.5 6.2).
  return s.replace(/[\0 ]+$/, '').replace(/^ +/, '');
};

export function readFileMeta(bytes: Uint8Array): FileMetaResult {
  if (bytes.length < 132)
    return { ok: false, reason: `too short to be a DICOM file (${bytes.length} bytes)` };
  if (bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) {
    return {
      ok: false,
      reason:
        "not a DICOM Part 10 file: no 'DICM' prefix after the 128-byte preamble (bare datasets are not accepted)",
    };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const meta: FileMeta = { end: 132 };
  let pos = 132;
  let groupLengthEnd: number | undefined;
  let sawAny = false;
  while (pos + 8 <= bytes.length) {
    const group = view.getUint16(pos, true);
    if (group !== 0x0002) break;
    const element = view.getUint16(pos + 2, true);
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
    if (!/^[A-Z]{2}$/.test(vr)) {
      return {
        ok: false,
        reason: `file meta element (0002,${hex4(element)}) is not in explicit VR little endian`,
      };
    }
    let length: number;
    let valueStart: number;
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > bytes.length) return { ok: false, reason: 'file ends inside the file meta information' };
      length = view.getUint32(pos + 8, true);
      valueStart = pos + 12;
    } else {
      length = view.getUint16(pos + 6, true);
      valueStart = pos + 8;
    }
    if (length === 0xffffffff) {
      return { ok: false, reason: `file meta element (0002,${hex4(element)}) has undefined length` };
    }
    if (valueStart + length > bytes.length) {
      return { ok: false, reason: `file meta element (0002,${hex4(element)}) runs past the end of the file` };
    }
    sawAny = true;
    switch (element) {
      case 0x0000:
        if (length !== 4) return { ok: false, reason: 'file meta group length (0002,0000) is not 4 bytes' };
        groupLengthEnd = valueStart + 4 + view.getUint32(valueStart, true);
        break;
      case 0x0002:
        meta.mediaStorageSopClassUid = ascii(bytes, valueStart, length);
        break;
      case 0x0003:
        meta.mediaStorageSopInstanceUid = ascii(bytes, valueStart, length);
        break;
      case 0x0010:
        meta.transferSyntaxUid = ascii(bytes, valueStart, length);
        break;
      case 0x0012:
        meta.implementationClassUid = ascii(bytes, valueStart, length);
        break;
      case 0x0016:
        meta.sourceAeTitle = ascii(bytes, valueStart, length);
        break;
    }
    pos = valueStart + length;
  }
  if (!sawAny) return { ok: false, reason: 'file meta information group (0002) is missing' };
  if (groupLengthEnd !== undefined && groupLengthEnd !== pos) {
    return {
      ok: false,
      reason: `file meta group length (0002,0000) says the group ends at byte ${groupLengthEnd}, but it ends at ${pos}`,
    };
  }
  meta.end = pos;
  return { ok: true, meta };
}

export const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
