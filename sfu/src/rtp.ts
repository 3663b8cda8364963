// Just enough RTP (RFC 3550) for plain-RTP tools, tests and benchmarks: build a packet, read a
// header, tell RTCP apart, and count loss from sequence numbers.

export interface RtpHeader {
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
}

/** True for RTCP (packet types 192–223 share the port when RTP/RTCP are multiplexed, RFC 5761). */
export function isRtcp(packet: Uint8Array): boolean {
  const type = packet[1] ?? 0;
  return packet.length >= 8 && type >= 192 && type <= 223;
}

/** The fixed RTP header, or undefined if this is not an RTP packet. */
export function parseRtp(packet: Buffer): RtpHeader | undefined {
  if (packet.length < 12 || (packet[0]! & 0xc0) !== 0x80 || isRtcp(packet)) return undefined;
  return {
    marker: (packet[1]! & 0x80) !== 0,
    payloadType: packet[1]! & 0x7f,
    sequenceNumber: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
  };
}

export interface BuildRtpOptions extends Omit<RtpHeader, 'marker'> {
  marker?: boolean;
  payload: Uint8Array;
  /** RFC 6464 audio level (0 = loudest … 127 = silence) in a one-byte header extension with this id. */
  audioLevel?: { id: number; level: number; voice?: boolean };
}

export function buildRtp(opts: BuildRtpOptions): Buffer {
  const ext = opts.audioLevel ? 8 : 0;
  const packet = Buffer.alloc(12 + ext + opts.payload.length);
  packet[0] = 0x80 | (ext ? 0x10 : 0);
  packet[1] = (opts.marker ? 0x80 : 0) | (opts.payloadType & 0x7f);
  packet.writeUInt16BE(opts.sequenceNumber & 0xffff, 2);
  packet.writeUInt32BE(opts.timestamp >>> 0, 4);
  packet.writeUInt32BE(opts.ssrc >>> 0, 8);
  if (opts.audioLevel) {
    const { id, level, voice = true } = opts.audioLevel;
    packet.writeUInt16BE(0xbede, 12); // one-byte header extensions
    packet.writeUInt16BE(1, 14); // one 32-bit word follows
    packet[16] = (id << 4) | 0; // element length 1 byte (encoded as 0)
    packet[17] = (voice ? 0x80 : 0) | (level & 0x7f);
  }
  packet.set(opts.payload, 12 + ext);
  return packet;
}

export interface SeqStats {
  received: number;
  /** Packets the sequence numbers say were sent (first to highest seen). */
  expected: number;
  lost: number;
}

/** Loss from one SSRC's sequence numbers (wrap-around aware; duplicates and reordering tolerated). */
export class SeqTracker {
  #base = -1;
  #cycles = 0;
  #maxSeq = -1;
  #received = 0;

  push(sequenceNumber: number): void {
    this.#received++;
    if (this.#base < 0) {
      this.#base = sequenceNumber;
      this.#maxSeq = sequenceNumber;
      return;
    }
    const delta = (sequenceNumber - this.#maxSeq + 0x10000) & 0xffff;
    if (delta > 0 && delta < 0x8000) {
      if (sequenceNumber < this.#maxSeq) this.#cycles += 0x10000;
      this.#maxSeq = sequenceNumber;
    }
  }

  stats(): SeqStats {
    if (this.#base < 0) return { received: 0, expected: 0, lost: 0 };
    const expected = this.#cycles + this.#maxSeq - this.#base + 1;
    return { received: this.#received, expected, lost: Math.max(0, expected - this.#received) };
  }
}
