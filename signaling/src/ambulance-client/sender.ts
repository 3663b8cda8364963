// Drives an outbox over a connection: on every (re)connect asks the server what it has
// (`telemetry:resume`), which tells a fresh journal where to number from, and sends what is not
// acknowledged per stream in seq order — the backlog first,
// then live samples as they are recorded. A few pushes per stream are in flight at once (Socket.IO
// keeps their order on one connection, and the server stores only contiguous seqs and answers the
// highest it holds), so a lost or refused push just rewinds the stream to acked + 1.
import {
  TELEMETRY_STREAMS,
  MAX_PUSH_ITEMS,
  type StreamAcks,
  type TelemetryStream,
} from '../protocol/ambulance.js';
import type { ErrorBody, ErrorCode } from '../protocol/errors.js';
import { zeroAcks, type TelemetryOutbox } from './outbox.js';
import type { TelemetryTransport } from './transport.js';

export interface SenderOptions {
  /** Pushes in flight per stream. Default 4. */
  window?: number;
  /** JSON bytes per push; the server refuses messages over 64 KB. Default 40 000 (≈ 9 ECG chunks). */
  maxPushBytes?: number;
  /** An unanswered push or resume counts as lost after this. Default 10 s. */
  ackTimeoutMs?: number;
  /** Retry delays after a failure: from `minBackoffMs`, doubling, up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface SenderStatus {
  online: boolean;
  /** Samples recorded but not yet acknowledged, per stream. */
  pending: StreamAcks;
  /** Highest seq the server acknowledged, per stream. */
  acked: StreamAcks;
  /** Samples pushed (resends included), per stream. */
  sent: StreamAcks;
  /** Wall-clock ms of the last acknowledgement. */
  lastAckAt: number | null;
  /** Streams stopped on an error that retrying cannot fix (shown loudly; samples kept). */
  stalled: Partial<Record<TelemetryStream, ErrorBody>>;
}

export type SenderErrorListener = (stream: TelemetryStream, error: ErrorBody) => void;

/** Errors that the same push would meet again: the stream stops and the error is raised. */
const FATAL: ReadonlySet<ErrorCode> = new Set([
  'BAD_REQUEST',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNKNOWN_METHOD',
]);

interface StreamState {
  /** Next seq to put on the wire in this generation. */
  next: number;
  inflight: number;
  /** Bumped whenever the stream rewinds; answers to older pushes then only report acks. */
  gen: number;
  retry: ReturnType<typeof setTimeout> | null;
  backoffMs: number;
  maxBytes: number;
  stalled: ErrorBody | null;
}

export class TelemetrySender {
  private readonly window: number;
  private readonly ackTimeoutMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly streams = new Map<TelemetryStream, StreamState>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly statusListeners = new Set<(s: SenderStatus) => void>();
  private readonly errorListeners = new Set<SenderErrorListener>();
  private readonly sent = zeroAcks();
  private online = false;
  /** True between a (re)connect and the resume answer: nothing is pushed before we know the acks. */
  private resuming = false;
  private connection = 0;
  private resumeTimer: ReturnType<typeof setTimeout> | null = null;
  private lastAckAt: number | null = null;
  private stopped = false;

  constructor(
    private readonly outbox: TelemetryOutbox,
    private readonly transport: TelemetryTransport,
    options: SenderOptions = {},
  ) {
    this.window = options.window ?? 4;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    for (const s of TELEMETRY_STREAMS)
      this.streams.set(s, {
        next: outbox.acked(s) + 1,
        inflight: 0,
        gen: 0,
        retry: null,
        backoffMs: this.minBackoffMs,
        maxBytes: options.maxPushBytes ?? 40_000,
        stalled: null,
      });
    this.unsubscribe.push(
      transport.onConnect(() => this.connected()),
      transport.onDisconnect(() => this.disconnected()),
      outbox.onAccepted((stream) => {
        this.pump(stream);
        this.emitStatus();
      }),
    );
    if (transport.connected) this.connected();
  }

  onStatus(listener: (s: SenderStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** A stream stopped on an error retrying cannot fix (a bug or a run closed under us): say so loudly. */
  onError(listener: SenderErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  status(): SenderStatus {
    const pending = zeroAcks();
    const acked = zeroAcks();
    const stalled: SenderStatus['stalled'] = {};
    for (const s of TELEMETRY_STREAMS) {
      pending[s] = this.outbox.pendingCount(s);
      acked[s] = this.outbox.acked(s);
      const err = this.streams.get(s)!.stalled;
      if (err) stalled[s] = err;
    }
    return {
      online: this.online,
      pending,
      acked,
      sent: { ...this.sent },
      lastAckAt: this.lastAckAt,
      stalled,
    };
  }

  /** True when everything recorded so far is acknowledged. */
  get drained(): boolean {
    return TELEMETRY_STREAMS.every((s) => this.outbox.pendingCount(s) === 0);
  }

  /** Clears a stalled stream (after whatever stopped it was fixed) and sends again. */
  retryStalled(): void {
    for (const s of TELEMETRY_STREAMS) {
      const st = this.streams.get(s)!;
      if (!st.stalled) continue;
      st.stalled = null;
      this.rewind(s);
      this.pump(s);
    }
    this.emitStatus();
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const st of this.streams.values()) if (st.retry) clearTimeout(st.retry);
  }

  private connected(): void {
    if (this.stopped) return;
    this.online = true;
    this.connection++;
    this.resuming = true;
    for (const s of TELEMETRY_STREAMS) this.rewind(s);
    this.emitStatus();
    this.resume(this.connection, this.minBackoffMs);
  }

  private disconnected(): void {
    this.online = false;
    this.resuming = false;
    this.connection++;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const s of TELEMETRY_STREAMS) this.rewind(s);
    this.emitStatus();
  }

  private resume(connection: number, delayOnFailure: number): void {
    const retry = () => {
      if (connection !== this.connection) return;
      this.resumeTimer = setTimeout(
        () => this.resume(connection, Math.min(delayOnFailure * 2, this.maxBackoffMs)),
        delayOnFailure,
      );
    };
    this.transport.request('telemetry:resume', { runId: this.outbox.runId }, this.ackTimeoutMs).then(
      async (ack) => {
        if (connection !== this.connection) return;
        if (!ack.ok) {
          if (FATAL.has(ack.error.code)) {
            for (const s of TELEMETRY_STREAMS) this.stall(s, ack.error);
            return;
          }
          return retry();
        }
        // Not an ack: samples outstanding here are sent again and the server confirms them one by one
        // (the same sample: acked; a different one under that seq: CONFLICT). Streams with nothing
        // outstanding, and those a fresh journal never numbered, continue after the server's acked.
        await this.outbox.learnBaseline(ack.data.acked);
        if (connection !== this.connection) return;
        this.resuming = false;
        this.lastAckAt = Date.now();
        for (const s of TELEMETRY_STREAMS) {
          this.rewind(s);
          this.pump(s);
        }
        this.emitStatus();
      },
      () => retry(),
    );
  }

  /** Forget what is in flight and send again from the first unacknowledged seq. */
  private rewind(stream: TelemetryStream): void {
    const st = this.streams.get(stream)!;
    st.gen++;
    st.inflight = 0;
    st.next = this.outbox.acked(stream) + 1;
    if (st.retry) clearTimeout(st.retry);
    st.retry = null;
  }

  private pump(stream: TelemetryStream): void {
    const st = this.streams.get(stream)!;
    if (!this.online || this.resuming || this.stopped || st.stalled || st.retry) return;
    while (st.inflight < this.window) {
      const items = this.outbox.batchFrom(stream, st.next, MAX_PUSH_ITEMS, st.maxBytes);
      if (items.length === 0) return;
      const gen = st.gen;
      st.inflight++;
      st.next = items[items.length - 1]!.seq + 1;
      this.sent[stream] += items.length;
      const last = items[items.length - 1]!.seq;
      this.transport
        .request('telemetry:push', { runId: this.outbox.runId, stream, items }, this.ackTimeoutMs)
        .then(
          async (ack) => {
            if (!ack.ok) return this.refused(stream, gen, items.length, ack.error);
            this.lastAckAt = Date.now();
            // Only what this push carried counts as ours: seqs above it may be another sender's.
            await this.outbox.ack(stream, Math.min(ack.data.acked, last));
            if (gen !== st.gen) return this.emitStatus();
            st.inflight--;
            st.backoffMs = this.minBackoffMs;
            // The server stopped short of this push: an earlier one was lost, so resend from the gap.
            if (ack.data.acked < last) this.rewind(stream);
            this.pump(stream);
            this.emitStatus();
          },
          () => {
            if (gen === st.gen) this.retryLater(stream);
          },
        );
    }
  }

  private refused(stream: TelemetryStream, gen: number, count: number, error: ErrorBody): void {
    const st = this.streams.get(stream)!;
    if (gen !== st.gen) return;
    if (error.code === 'TOO_LARGE' && count > 1) {
      st.maxBytes = Math.max(1000, Math.floor(st.maxBytes / 2));
      this.rewind(stream);
      this.pump(stream);
      return;
    }
    if (FATAL.has(error.code) || error.code === 'TOO_LARGE') return this.stall(stream, error);
    // RATE_LIMITED, INTERNAL, UNAUTHORIZED (a token refreshed on reconnect)…: back off and resend.
    this.retryLater(stream);
  }

  private retryLater(stream: TelemetryStream): void {
    const st = this.streams.get(stream)!;
    this.rewind(stream);
    if (!this.online) return;
    const delay = st.backoffMs;
    st.backoffMs = Math.min(st.backoffMs * 2, this.maxBackoffMs);
    st.retry = setTimeout(() => {
      st.retry = null;
      this.pump(stream);
    }, delay);
    this.emitStatus();
  }

  private stall(stream: TelemetryStream, error: ErrorBody): void {
    const st = this.streams.get(stream)!;
    this.rewind(stream);
    st.stalled = error;
    for (const l of this.errorListeners) l(stream, error);
    this.emitStatus();
  }

  private emitStatus(): void {
    if (this.statusListeners.size === 0) return;
    const s = this.status();
    for (const l of this.statusListeners) l(s);
  }
}
