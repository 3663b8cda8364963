// SCP-ECG (EN 1064 / ISO 11073-91064) record container: a CRC and record length, then sections,
// each with a 16-byte header (CRC, id, length, versions), located through the pointer table in
// section 0. No maintained JavaScript library reads SCP-ECG, so this part is written here; it
// checks every CRC and bound so a damaged file is rejected with the place it is damaged.
import { EcgError } from './model.js';

export interface ScpSection {
  id: number;
  /** Section version (20 = v2.0, 29 = v2.2, 30 = v3.0 …). */
  version: number;
  /** The section's data after its 16-byte header. */
  data: Uint8Array;
}

export interface ScpRecord {
  /** Protocol version from section 0's header. */
  protocolVersion: number;
  sections: Map<number, ScpSection>;
}

const SECTION_HEADER = 16;

const CRC_TABLE = Uint16Array.from({ length: 256 }, (_, n) => {
  let crc = n << 8;
  for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/** CRC-CCITT (polynomial 0x1021, initial 0xFFFF), as SCP-ECG specifies for records and sections. */
export function crcCcitt(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/** Quick check used for format detection: record length matches and section 0 says "SCPECG". */
export function looksLikeScp(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 6 + SECTION_HEADER) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(2, true);
  const id = view.getUint16(8, true);
  const tag = Buffer.from(bytes.subarray(6 + 10, 6 + 16)).toString('latin1');
  return id === 0 && tag === 'SCPECG' && length === bytes.byteLength;
}

function sectionAt(
  bytes: Uint8Array,
  offset: number,
  expectedId: number,
  expectedLength: number,
): ScpSection {
  if (offset + SECTION_HEADER > bytes.byteLength || offset + expectedLength > bytes.byteLength) {
    throw new EcgError('malformed', `SCP-ECG section ${expectedId} points past the end of the record`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, expectedLength);
  const crc = view.getUint16(0, true);
  const id = view.getUint16(2, true);
  const length = view.getUint32(4, true);
  if (id !== expectedId) {
    throw new EcgError(
      'malformed',
      `SCP-ECG section 0 points at section ${expectedId} but finds section ${id}`,
    );
  }
  if (length !== expectedLength || length < SECTION_HEADER) {
    throw new EcgError(
      'malformed',
      `SCP-ECG section ${id} length ${length} does not match its pointer (${expectedLength})`,
    );
  }
  const body = bytes.subarray(offset, offset + length);
  if (crcCcitt(body.subarray(2)) !== crc) {
    throw new EcgError('malformed', `SCP-ECG section ${id} fails its CRC check (damaged data)`);
  }
  return { id, version: view.getUint8(8), data: body.subarray(SECTION_HEADER) };
}

/** Splits an SCP-ECG record into its sections, verifying record and section CRCs. */
export function readScpRecord(bytes: Uint8Array): ScpRecord {
  if (!looksLikeScp(bytes)) {
    throw new EcgError(
      'unrecognised-format',
      'not an SCP-ECG record (record length or section 0 "SCPECG" mark wrong)',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (crcCcitt(bytes.subarray(2)) !== view.getUint16(0, true)) {
    throw new EcgError('malformed', 'SCP-ECG record fails its CRC check (damaged or truncated file)');
  }
  const section0Length = view.getUint32(6 + 4, true);
  const section0 = sectionAt(bytes, 6, 0, section0Length);
  const protocolVersion = view.getUint8(6 + 9);
  const sections = new Map<number, ScpSection>([[0, section0]]);
  const pointers = new DataView(section0.data.buffer, section0.data.byteOffset, section0.data.byteLength);
  for (let p = 0; p + 10 <= pointers.byteLength; p += 10) {
    const id = pointers.getUint16(p, true);
    const length = pointers.getUint32(p + 2, true);
    const index = pointers.getUint32(p + 6, true); // 1-based byte position in the record
    if (id === 0 || length === 0) continue; // absent sections have length 0
    if (sections.has(id))
      throw new EcgError('malformed', `SCP-ECG section ${id} appears twice in the pointer table`);
    if (index < 1) throw new EcgError('malformed', `SCP-ECG section ${id} has pointer index ${index}`);
    sections.set(id, sectionAt(bytes, index - 1, id, length));
  }
  return { protocolVersion, sections };
}
