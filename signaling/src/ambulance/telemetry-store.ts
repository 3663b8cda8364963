// The telemetry of runs: each (run, stream) is the sequence 1..acked without gaps, every sample stored
// once. A push is stored in one transaction and acknowledged only after that transaction is durable.
//
// Durability: the store needs its own connection, which it switches to `synchronous = FULL`. Under
// WAL, NORMAL (the rest of the server's setting) already survives a crash of this process — a
// committed transaction is in the OS's page cache — but an OS crash or power cut may roll back the
// last commits before a checkpoint. The ambulance deletes what we acknowledge, so an acknowledged
// sample lost that way would be lost from the medical record: with FULL the WAL is fsynced at every
// commit, so an ack survives power loss as far as the disk honours fsync. The cost is one fsync per
// push, paid by telemetry only.
import type { Db } from '../db/database.js';
import {
  ProtocolError,
  TELEMETRY_STREAMS,
  type StreamAcks,
  type TelemetrySamples,
  type TelemetryStream,
} from '../protocol/index.js';
import {
  decodeEcgRow,
  decodeSample,
  encodeSample,
  normalizeSample,
  sameSample,
  type SampleRow,
  type StoredEcgChunk,
} from './telemetry-codec.js';

export interface AppendResult<S extends TelemetryStream> {
  /** Highest seq stored without gaps after this push. */
  acked: number;
  /** The samples this push added, in seq order (none for a pure duplicate). */
  stored: TelemetrySamples[S][];
}

export const emptyAcks = (): StreamAcks => ({ vitals: 0, position: 0, event: 0, ecg: 0 });

export class TelemetryStore {
  private readonly stmt;

  constructor(private readonly db: Db) {
    db.pragma('synchronous = FULL');
    this.stmt = {
      status: db.prepare('SELECT status FROM ambulance_runs WHERE id = ?').pluck(),
      acked: db
        .prepare('SELECT COALESCE(MAX(seq), 0) FROM telemetry_samples WHERE run_id = ? AND stream = ?')
        .pluck(),
      acks: db.prepare(
        'SELECT stream, MAX(seq) AS acked FROM telemetry_samples WHERE run_id = ? GROUP BY stream',
      ),
      insert: db.prepare(
        'INSERT INTO telemetry_samples (run_id, stream, seq, t, sample, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      after: db.prepare(
        'SELECT seq, t, sample, data FROM telemetry_samples WHERE run_id = ? AND stream = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      one: db.prepare(
        'SELECT seq, t, sample, data FROM telemetry_samples WHERE run_id = ? AND stream = ? AND seq = ?',
      ),
      latest: db.prepare(
        'SELECT seq, t, sample, data FROM telemetry_samples WHERE run_id = ? AND stream = ? ORDER BY seq DESC LIMIT 1',
      ),
      ecgBetween: db.prepare(
        "SELECT seq, t, sample, data FROM telemetry_samples WHERE run_id = ? AND stream = 'ecg' AND t >= ? AND t < ? ORDER BY seq",
      ),
    };
  }

  /**
   * Stores the items that continue the stream (seq = acked + 1, + 2, …), skips those already stored
   * and stops at the first gap; `items` ascend (the push schema checks that). An item under a seq
   * already stored must be that very sample (a resend after a lost ack): a different one means a
   * second sender numbering the same stream (a lost journal, another device), and acknowledging it
   * would drop it silently — the push is refused with CONFLICT and nothing of it is stored. Only an
   * en-route run takes new samples: for any other, a push of already stored seqs is answered (the
   * sender's ack got lost), anything new is refused with CONFLICT.
   */
  append<S extends TelemetryStream>(
    runId: string,
    stream: S,
    items: readonly TelemetrySamples[S][],
  ): AppendResult<S> {
    const run = this.db.transaction((): AppendResult<S> => {
      const status = this.stmt.status.get(runId) as string | undefined;
      if (status === undefined) throw new ProtocolError('NOT_FOUND', 'No such ambulance run');
      let acked = this.stmt.acked.get(runId, stream) as number;
      const samples = items.map((i) => normalizeSample(stream, i));
      // Only resends pay for the comparison: live pushes hold no seq ≤ acked.
      for (const item of samples) {
        if (item.seq > acked) break;
        const row = this.stmt.one.get(runId, stream, item.seq) as SampleRow | undefined;
        if (!row || !sameSample(stream, item, row))
          throw new ProtocolError(
            'CONFLICT',
            `seq ${item.seq} of ${stream} already holds a different sample; resume from acked+1 (${acked + 1})`,
          );
      }
      const stored: TelemetrySamples[S][] = [];
      if (status !== 'enroute') {
        if (samples.some((i) => i.seq > acked))
          throw new ProtocolError('CONFLICT', `The run is ${status}; it takes no more telemetry`);
        return { acked, stored };
      }
      for (const item of samples) {
        if (item.seq <= acked) continue;
        if (item.seq !== acked + 1) break;
        const row = encodeSample(stream, item);
        this.stmt.insert.run(runId, stream, row.seq, row.t, row.sample, row.data);
        acked = item.seq;
        stored.push(item);
      }
      return { acked, stored };
    });
    // IMMEDIATE: take the write lock before reading `acked`, so another process sharing the file
    // cannot store the same seqs in between.
    return run.immediate();
  }

  acked(runId: string, stream: TelemetryStream): number {
    return this.stmt.acked.get(runId, stream) as number;
  }

  acks(runId: string): StreamAcks {
    const acks = emptyAcks();
    for (const row of this.stmt.acks.all(runId) as { stream: TelemetryStream; acked: number }[]) {
      if ((TELEMETRY_STREAMS as readonly string[]).includes(row.stream)) acks[row.stream] = row.acked;
    }
    return acks;
  }

  /** Samples after `after`, ascending, at most `limit`. */
  history<S extends TelemetryStream>(
    runId: string,
    stream: S,
    after: number,
    limit: number,
  ): TelemetrySamples[S][] {
    return (this.stmt.after.all(runId, stream, after, limit) as SampleRow[]).map((r) =>
      decodeSample(stream, r),
    );
  }

  latest<S extends TelemetryStream>(runId: string, stream: S): TelemetrySamples[S] | null {
    const row = this.stmt.latest.get(runId, stream) as SampleRow | undefined;
    return row ? decodeSample(stream, row) : null;
  }

  /** Every sample of a stream, ascending, read in pages (a long run's ECG does not fit one array). */
  *all<S extends TelemetryStream>(runId: string, stream: S, pageSize = 2000): Generator<TelemetrySamples[S]> {
    let after = 0;
    for (;;) {
      const page = this.history(runId, stream, after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page[page.length - 1]!.seq;
    }
  }

  /** ECG chunks starting in [fromT, toT) device time, with their samples as bytes. */
  ecgBetween(runId: string, fromT: number, toT: number): StoredEcgChunk[] {
    return (this.stmt.ecgBetween.all(runId, fromT, toT) as SampleRow[]).map(decodeEcgRow);
  }
}
