// Helpers for the SFU's unit tests (real mediasoup workers, plain RTP over loopback UDP).
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import { pino } from 'pino';
import { expect } from 'vitest';
import { MediaError, type SfuConfig } from '../api.js';
import { buildRtp, parseRtp, SeqTracker, type RtpHeader } from '../rtp.js';

export const testLogger = pino({ level: process.env.SFU_TEST_LOG_LEVEL ?? 'silent' });

/** A config on loopback with its own port block (each test file uses a distinct `base`). */
export function testConfig(base: number, numWorkers: number): SfuConfig {
  return {
    numWorkers,
    logLevel: 'error',
    rtcMinPort: base,
    rtcMaxPort: base + 49,
    listenIp: '127.0.0.1',
    maxIncomingBitrate: 3_000_000,
    initialAvailableOutgoingBitrate: 1_000_000,
  };
}

/** The next `event` from `emitter`, or a rejection after `ms`. */
export async function nextEvent<T extends unknown[] = unknown[]>(
  emitter: EventEmitter,
  event: string,
  ms = 10_000,
): Promise<T> {
  try {
    return (await once(emitter, event, { signal: AbortSignal.timeout(ms) })) as T;
  } catch (err) {
    if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') {
      throw new Error(`timed out after ${ms} ms waiting for '${event}'`);
    }
    throw err;
  }
}

/** Resolves when `check()` is true, re-checking whenever `emitter` emits `event`. */
export async function until(
  emitter: EventEmitter,
  event: string,
  check: () => boolean,
  what: string,
  ms = 10_000,
) {
  const deadline = Date.now() + ms;
  while (!check()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${what}`);
    await nextEvent(emitter, event, left).catch(() => undefined);
  }
}

export async function expectMediaError(action: Promise<unknown> | (() => unknown), code: MediaError['code']) {
  let caught: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected MediaError ${code}`).toBeInstanceOf(MediaError);
  expect((caught as MediaError).code).toBe(code);
  return caught as MediaError;
}

/** Sends Opus-like RTP every 20 ms to a plain transport until stopped. */
export class RtpSender {
  readonly socket: Socket = createSocket('udp4');
  #timer: NodeJS.Timeout | undefined;
  #seq = 1000;
  sent = 0;

  constructor(
    readonly target: { ip: string; port: number },
    readonly stream: { ssrc: number; payloadType: number; audioLevelId?: number; level?: number },
  ) {}

  start(): this {
    this.#timer = setInterval(() => this.sendOne(), 20);
    return this;
  }

  sendOne(): void {
    const { ssrc, payloadType, audioLevelId, level = 10 } = this.stream;
    const seq = this.#seq++;
    const packet = buildRtp({
      payloadType,
      ssrc,
      sequenceNumber: seq,
      timestamp: seq * 960,
      payload: Buffer.from([0xfc, ...Array.from({ length: 40 }, (_, i) => (seq + i) & 0xff)]),
      ...(audioLevelId ? { audioLevel: { id: audioLevelId, level } } : {}),
    });
    this.socket.send(packet, this.target.port, this.target.ip);
    this.sent++;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.socket.close();
  }
}

/** A UDP socket that counts RTP per SSRC and emits 'rtp' for every packet. */
export class RtpSink extends EventEmitter {
  readonly socket: Socket = createSocket('udp4');
  readonly streams = new Map<number, SeqTracker>();
  readonly headers: RtpHeader[] = [];

  async bind(): Promise<{ ip: string; port: number }> {
    this.socket.on('message', (msg) => {
      const header = parseRtp(msg);
      if (!header) return;
      if (this.headers.length < 1000) this.headers.push(header);
      let tracker = this.streams.get(header.ssrc);
      if (!tracker) this.streams.set(header.ssrc, (tracker = new SeqTracker()));
      tracker.push(header.sequenceNumber);
      this.emit('rtp', header);
    });
    this.socket.bind(0, '127.0.0.1');
    await once(this.socket, 'listening');
    return { ip: '127.0.0.1', port: this.socket.address().port };
  }

  received(ssrc: number): number {
    return this.streams.get(ssrc)?.stats().received ?? 0;
  }

  async waitFor(ssrc: number, packets: number, ms = 10_000): Promise<void> {
    await until(
      this,
      'rtp',
      () => this.received(ssrc) >= packets,
      `${packets} RTP packets of SSRC ${ssrc}`,
      ms,
    );
  }

  close(): void {
    this.socket.close();
  }
}
