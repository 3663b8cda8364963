// Moves datasets through dcmjs-dimse as the exact bytes that came off (or go onto) the wire.
// dcmjs-dimse's own Dataset parses and re-encodes everything it touches, which would change the
// bytes (breaking the sha256 idempotency check and byte-identical round trips) and throw on the
// malformed files we must answer with a failure status instead of a dropped association.
import { Dataset } from './lib.js';

export class RawDataset extends Dataset {
  readonly bytes: Buffer;
  private readonly syntax: string;

  constructor(bytes: Buffer, transferSyntaxUid: string) {
    super({}, transferSyntaxUid);
    this.bytes = bytes;
    this.syntax = transferSyntaxUid;
  }

  override getTransferSyntaxUid(): string {
    return this.syntax;
  }

  override getDenaturalizedDataset(): Buffer {
    return this.bytes;
  }

  // Transcoding would need the parsed elements; refusing makes dcmjs-dimse drop that request
  // (reported to the caller as a failure) rather than send an empty dataset.
  override getElements(): Record<string, unknown> {
    throw new Error('raw dataset: transcoding is not supported, propose the original transfer syntax');
  }

  override toString(): string {
    return `raw dataset, ${this.bytes.length} bytes, ${this.syntax}`;
  }
}

export interface Part10Meta {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** Calling AE that sent it (0002,0016), when it came in over DIMSE. */
  sourceAeTitle?: string;
}

const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1452.1';
const IMPLEMENTATION_VERSION = 'TELEMED_010';

/**
 * Wraps a received dataset into a Part 10 file: preamble, 'DICM', and the group 0002 meta
 * information (explicit VR little endian) naming the negotiated transfer syntax, then the dataset
 * bytes unchanged (already deflated for the deflate syntax, as PS3.10 wants them on disk too).
 */
export function toPart10(dataset: Buffer, meta: Part10Meta): Buffer {
  const elements: Buffer[] = [
    element(0x0001, 'OB', Buffer.from([0x00, 0x01])),
    element(0x0002, 'UI', uid(meta.sopClassUid)),
    element(0x0003, 'UI', uid(meta.sopInstanceUid)),
    element(0x0010, 'UI', uid(meta.transferSyntaxUid)),
    element(0x0012, 'UI', uid(IMPLEMENTATION_CLASS_UID)),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION)),
  ];
  if (meta.sourceAeTitle) elements.push(element(0x0016, 'AE', text(meta.sourceAeTitle)));
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length, 0);
  const preamble = Buffer.alloc(132);
  preamble.write('DICM', 128, 'latin1');
  return Buffer.concat([preamble, element(0x0000, 'UL', groupLength), body, dataset]);
}

const LONG = new Set(['OB', 'OW', 'UN', 'SQ', 'UT', 'UC', 'UR']);

function element(tag: number, vr: string, value: Buffer): Buffer {
  const long = LONG.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(0x0002, 0);
  head.writeUInt16LE(tag, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

/** UIDs are padded to even length with NUL; other text with a space (PS3.5 6.2). */
const uid = (s: string): Buffer => pad(Buffer.from(s, 'latin1'), 0x00);
const text = (s: string): Buffer => pad(Buffer.from(s, 'latin1'), 0x20);
const pad = (b: Buffer, fill: number): Buffer => (b.length % 2 ? Buffer.concat([b, Buffer.from([fill])]) : b);
