// The store-and-forward outbox of one run: every sample gets the next seq of its stream and is
// written to a durable journal before it counts as accepted; it stays there until the server has
// acknowledged it. Browser-safe (no Node imports): the journal is IndexedDB in the browser and a file
// in the CLI (ambulance-cli/file-journal.ts).
import {
  TELEMETRY_STREAMS,
  TelemetrySampleSchemas,
  type StreamAcks,
  type TelemetrySamples,
  type TelemetryStream,
} from '../protocol/ambulance.js';

export type AnySample = TelemetrySamples[TelemetryStream];
/** A sample as the device produces it; the outbox numbers it. */
export type SampleInput<S extends TelemetryStream> = Omit<TelemetrySamples[S], 'seq'>;

export interface JournalEntry {
  stream: TelemetryStream;
  sample: AnySample;
}

/** What a journal holds: the run it belongs to, unacknowledged samples and the counters. */
export interface JournalState {
  runId: string | null;
  /** Unacknowledged samples, ascending seq within each stream. */
  entries: JournalEntry[];
  /** Highest seq ever numbered per stream (kept even when its samples are acknowledged and gone). */
  lastSeq: StreamAcks;
  /** Highest seq the server acknowledged per stream. */
  acked: StreamAcks;
}

/** Durable storage of an outbox. Each call's promise resolves once the change is durable. */
export interface OutboxJournal {
  load(): Promise<JournalState>;
  /** Binds an empty journal to its run (a journal holds one run). */
  setRunId(runId: string): Promise<void>;
  /** Appends samples (in call order; ascending seq per stream). */
  append(entries: JournalEntry[]): Promise<void>;
  /** Everything of `stream` up to `seq` is stored by the server and may be dropped. */
  markAcked(stream: TelemetryStream, seq: number): Promise<void>;
  close(): Promise<void>;
}

export const zeroAcks = (): StreamAcks => ({ vitals: 0, position: 0, event: 0, ecg: 0 });

/** A sample the outbox refuses before numbering it: the caller's bug, reported at once. */
export class SampleValidationError extends Error {
  constructor(
    readonly stream: TelemetryStream,
    message: string,
  ) {
    super(`${stream} sample rejected: ${message}`);
    this.name = 'SampleValidationError';
  }
}

export interface PendingSample {
  sample: AnySample;
  /** UTF-8 size of the sample's JSON, for sizing pushes under the message limit. */
  bytes: number;
}

const encoder = new TextEncoder();
const jsonBytes = (v: unknown) => encoder.encode(JSON.stringify(v)).length;

/** Pending samples of one stream: contiguous seqs, dropped from the front as acks arrive. */
class StreamQueue {
  private items: PendingSample[] = [];
  private head = 0;
  push(p: PendingSample): void {
    this.items.push(p);
  }
  get length(): number {
    return this.items.length - this.head;
  }
  dropThrough(seq: number): void {
    while (this.head < this.items.length && this.items[this.head]!.sample.seq <= seq) this.head++;
    // Compact now and then rather than shifting on every ack.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
  /** Up to `maxItems` samples from seq `from` on, stopping before `maxBytes` of JSON. */
  batchFrom(from: number, maxItems: number, maxBytes: number): AnySample[] {
    const first = this.items[this.head];
    if (!first) return [];
    let i = this.head + Math.max(0, from - first.sample.seq);
    const out: AnySample[] = [];
    let bytes = 0;
    for (; i < this.items.length && out.length < maxItems; i++) {
      const p = this.items[i]!;
      if (out.length > 0 && bytes + p.bytes > maxBytes) break;
      out.push(p.sample);
      bytes += p.bytes + 1;
    }
    return out;
  }
}

export type AcceptedListener = (stream: TelemetryStream, sample: AnySample) => void;

export interface OutboxOptions {
  /**
   * The server's acked per stream when known at open (a run this device just created: all 0; a run
   * continued: `AmbulanceRun.acked`). A stream the journal has no seq history for numbers nothing
   * until it knows this (see record()); without it, the sender's `telemetry:resume` provides it.
   */
  baseline?: StreamAcks;
}

/** A sample recorded before its stream's numbering was known: numbered once it is. */
interface HeldSample {
  input: Record<string, unknown>;
  resolve: (sample: AnySample) => void;
  reject: (err: unknown) => void;
}

export class TelemetryOutbox {
  private readonly queues = new Map<TelemetryStream, StreamQueue>(
    TELEMETRY_STREAMS.map((s) => [s, new StreamQueue()]),
  );
  private readonly listeners = new Set<AcceptedListener>();
  /** Acceptance happens in seq order even if a journal resolved appends out of order. */
  private acceptChain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  /** Streams whose next seq is known: the journal has numbered or acked some, or the server told us. */
  private readonly based: Record<TelemetryStream, boolean>;
  private readonly held = new Map<TelemetryStream, HeldSample[]>(TELEMETRY_STREAMS.map((s) => [s, []]));

  private constructor(
    readonly runId: string,
    private readonly journal: OutboxJournal,
    private readonly lastSeqs: StreamAcks,
    private readonly ackedSeqs: StreamAcks,
  ) {
    this.based = Object.fromEntries(
      TELEMETRY_STREAMS.map((s) => [s, lastSeqs[s] > 0 || ackedSeqs[s] > 0]),
    ) as Record<TelemetryStream, boolean>;
  }

  /** Opens the outbox of `runId` on a journal (empty, or holding the same run). */
  static async open(
    journal: OutboxJournal,
    runId: string,
    options: OutboxOptions = {},
  ): Promise<TelemetryOutbox> {
    const state = await journal.load();
    if (state.runId !== null && state.runId !== runId)
      throw new Error(`the journal holds another run (${state.runId}); use a journal per run`);
    if (state.runId === null) await journal.setRunId(runId);
    const outbox = new TelemetryOutbox(runId, journal, { ...state.lastSeq }, { ...state.acked });
    for (const e of state.entries) {
      if (e.sample.seq <= state.acked[e.stream]) continue;
      outbox.queues.get(e.stream)!.push({ sample: e.sample, bytes: jsonBytes(e.sample) });
    }
    if (options.baseline) await outbox.learnBaseline(options.baseline);
    return outbox;
  }

  /**
   * Numbers a sample and journals it; resolves with the numbered sample once it is durable (only
   * then will it be sent). Invalid samples are refused here, before they take a seq, so one bad
   * sample can never block its stream at the server. What is journaled is the sample as the schema
   * parses it (event text trimmed), which is what the server stores and compares a resend with.
   *
   * A stream this journal has never numbered (a fresh journal continuing a run: cleared browser
   * storage, a second device, a new CLI journal) waits for the server's acked (learnBaseline): numbering
   * from 1 would reuse seqs the server already holds. Until then the sample waits in memory and the
   * promise stays pending — it is not durable, and the caller has not been told it is kept.
   */
  record<S extends TelemetryStream>(stream: S, input: SampleInput<S>): Promise<TelemetrySamples[S]> {
    if (this.failure) return Promise.reject(this.failure);
    // Validated with a stand-in seq: no sample schema depends on its value.
    const parsed = TelemetrySampleSchemas[stream].safeParse({ ...input, seq: this.lastSeqs[stream] + 1 });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return Promise.reject(
        new SampleValidationError(stream, `${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`),
      );
    }
    const { seq: _, ...normalized } = parsed.data as Record<string, unknown>;
    if (!this.based[stream])
      return new Promise<AnySample>((resolve, reject) =>
        this.held.get(stream)!.push({ input: normalized, resolve, reject }),
      ) as Promise<TelemetrySamples[S]>;
    return this.number(stream, normalized) as Promise<TelemetrySamples[S]>;
  }

  /**
   * The server's acked per stream (from `telemetry:resume`, or the run as read at open). A stream
   * with nothing outstanding here adopts it — so numbering continues after whatever another sender
   * stored meanwhile — and a stream that waited for it numbers its held samples, in order. A stream
   * with samples outstanding keeps them: the sender sends them again and the server either
   * acknowledges them as the very samples it holds or refuses them with CONFLICT (never dropped on
   * this word alone: they might be another sender's seqs).
   */
  async learnBaseline(acks: StreamAcks): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const s of TELEMETRY_STREAMS) {
      if (this.lastSeqs[s] === this.ackedSeqs[s] && acks[s] > this.ackedSeqs[s])
        writes.push(this.ack(s, acks[s]));
      if (this.based[s]) continue;
      this.based[s] = true;
      for (const h of this.held.get(s)!.splice(0)) this.number(s, h.input).then(h.resolve, h.reject);
    }
    await Promise.all(writes);
  }

  private number(stream: TelemetryStream, input: Record<string, unknown>): Promise<AnySample> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.lastSeqs[stream] + 1;
    this.lastSeqs[stream] = seq;
    const sample = { ...input, seq } as unknown as AnySample;
    const written = this.journal.append([{ stream, sample }]);
    const accepted = this.acceptChain.then(() => written);
    this.acceptChain = accepted.then(
      () => {
        this.queues.get(stream)!.push({ sample, bytes: jsonBytes(sample) });
        for (const l of this.listeners) l(stream, sample);
      },
      (err: unknown) => {
        // A seq was handed out but not stored: later seqs would leave a gap the server waits on
        // forever, so the outbox stops taking samples and says so.
        this.failure ??= new Error(
          `telemetry journal failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      },
    );
    return accepted.then(
      () => sample,
      () => Promise.reject(this.failure ?? new Error('telemetry journal failed')),
    );
  }

  /** Called for every sample once it is durable, in seq order per stream. */
  onAccepted(listener: AcceptedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The journal failed: nothing more can be recorded (see record()). */
  get failed(): Error | null {
    return this.failure;
  }

  acked(stream: TelemetryStream): number {
    return this.ackedSeqs[stream];
  }

  lastSeq(stream: TelemetryStream): number {
    return this.lastSeqs[stream];
  }

  /** Recorded and not yet acknowledged, held samples (waiting for their seq) included. */
  pendingCount(stream: TelemetryStream): number {
    return this.queues.get(stream)!.length + this.held.get(stream)!.length;
  }

  batchFrom(stream: TelemetryStream, fromSeq: number, maxItems: number, maxBytes: number): AnySample[] {
    return this.queues.get(stream)!.batchFrom(fromSeq, maxItems, maxBytes);
  }

  /**
   * The server stores `stream` up to `seq`: drop it here and in the journal. If the server holds more
   * than this outbox ever numbered (a lost journal continuing a run), numbering continues after it.
   */
  async ack(stream: TelemetryStream, seq: number): Promise<void> {
    if (seq <= this.ackedSeqs[stream]) return;
    this.ackedSeqs[stream] = seq;
    if (seq > this.lastSeqs[stream]) this.lastSeqs[stream] = seq;
    this.queues.get(stream)!.dropThrough(seq);
    await this.journal.markAcked(stream, seq);
  }

  /** Resolves when every sample recorded so far is durable (or the journal failed). */
  async flush(): Promise<void> {
    await this.acceptChain;
  }

  async close(): Promise<void> {
    for (const s of TELEMETRY_STREAMS)
      for (const h of this.held.get(s)!.splice(0))
        h.reject(new Error(`outbox closed before the server said where ${s} continues; sample not kept`));
    await this.flush();
    await this.journal.close();
  }
}
