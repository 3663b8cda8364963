// A guard on the raw DICOM upper-layer byte stream, in front of dcmjs-dimse. dcmjs-dimse collects a
// whole PDU in memory before parsing it (concatenating chunk by chunk), trusting the 32-bit length in
// its header, so a peer that declares a 4 GiB PDU and keeps sending could exhaust the process. We
// follow PDU boundaries ourselves (6-byte header: type, reserved, length big-endian) and, when a PDU
// is of an unknown type or longer than we allow, send A-ABORT and close: reading stops at once, so
// memory held for the connection is at most one socket chunk.
import type { Socket } from 'node:net';

export interface PduLimits {
  /** Largest P-DATA-TF we accept: the Maximum Length we advertise in A-ASSOCIATE-AC. */
  maxPduBytes: number;
  /** Largest other PDU (association request etc.); these are small in practice. */
  maxControlPduBytes: number;
}

export const DEFAULT_MAX_PDU_BYTES = 256 * 1024;
const P_DATA_TF = 4;

/** Follows PDU boundaries across chunks; returns why a chunk breaks the limits, or undefined. */
export class PduBoundaries {
  private header = Buffer.alloc(0);
  private remaining = 0;

  constructor(private readonly limits: PduLimits) {}

  feed(chunk: Buffer): string | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        this.remaining -= take;
        at += take;
        continue;
      }
      const need = 6 - this.header.length;
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + need)]);
      at += Math.min(need, chunk.length - at);
      if (this.header.length < 6) return undefined;
      const type = this.header[0]!;
      const length = this.header.readUInt32BE(2);
      this.header = Buffer.alloc(0);
      if (type < 1 || type > 7) return `unknown PDU type ${type}`;
      const max = type === P_DATA_TF ? this.limits.maxPduBytes : this.limits.maxControlPduBytes;
      if (length > max) return `PDU of type ${type} declares ${length} bytes (limit ${max})`;
      this.remaining = length;
    }
    return undefined;
  }
}

/**
 * Installs the guard; must run before dcmjs-dimse adds its own 'data' listener so a violating chunk
 * is seen first. `onViolation` is told why (for the audit) after the abort is on its way.
 */
export function guardPdus(socket: Socket, limits: PduLimits, onViolation: (why: string) => void): void {
  const boundaries = new PduBoundaries(limits);
  const listener = (chunk: Buffer): void => {
    const why = boundaries.feed(chunk);
    if (!why) return;
    socket.off('data', listener);
    socket.pause();
    // A-ABORT, source: service provider (2), reason: invalid PDU parameter value (6).
    socket.end(Buffer.from([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 6]));
    // Do not wait on a peer that never reads: the abort is best effort.
    setTimeout(() => socket.destroy(), 1000).unref();
    onViolation(why);
  };
  socket.prependListener('data', listener);
}
