// A journal kept in memory: for tests, and for a sender that may lose its backlog on a reload (it
// still rides out network outages). Browser-safe.
import type { TelemetryStream } from '../protocol/ambulance.js';
import { zeroAcks, type JournalEntry, type JournalState, type OutboxJournal } from './outbox.js';

export class MemoryJournal implements OutboxJournal {
  private state: JournalState = { runId: null, entries: [], lastSeq: zeroAcks(), acked: zeroAcks() };

  load(): Promise<JournalState> {
    const s = this.state;
    return Promise.resolve({
      ...s,
      entries: [...s.entries],
      lastSeq: { ...s.lastSeq },
      acked: { ...s.acked },
    });
  }

  setRunId(runId: string): Promise<void> {
    this.state.runId = runId;
    return Promise.resolve();
  }

  append(entries: JournalEntry[]): Promise<void> {
    for (const e of entries) {
      this.state.entries.push(e);
      this.state.lastSeq[e.stream] = Math.max(this.state.lastSeq[e.stream], e.sample.seq);
    }
    return Promise.resolve();
  }

  markAcked(stream: TelemetryStream, seq: number): Promise<void> {
    const s = this.state;
    s.acked[stream] = Math.max(s.acked[stream], seq);
    s.lastSeq[stream] = Math.max(s.lastSeq[stream], seq);
    s.entries = s.entries.filter((e) => e.stream !== stream || e.sample.seq > seq);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
