// Wires the board model to the server: `board:watch` on every (re)connection, live `runUpdated` and
// `telemetry` notifications, and history fills for whatever a blip made the board miss.
import type { TelemetryStream } from '@telemed/signaling/protocol';
import { useEffect, useMemo, useState } from 'react';
import type { ConnectionState, SignalingClient } from '../../api/signaling.js';
import { ambulanceApi } from '../shared/api.js';
import { BoardModel } from './boardModel.js';

const PAGE: Record<TelemetryStream, number> = { vitals: 500, position: 500, event: 500, ecg: 100 };

export type BoardStatus = 'connecting' | 'live' | 'offline' | 'error';

/** Fills one stream from the history until it has caught up; one fill per stream at a time. */
class Filler {
  private readonly running = new Map<string, { again: boolean }>();
  /** History pages applied so far (shown on the page for tests and support). */
  pages = 0;

  constructor(
    private readonly model: BoardModel,
    private readonly signal: AbortSignal,
    private readonly onPage: (pages: number) => void,
  ) {}

  fill(runId: string, stream: TelemetryStream): void {
    const key = `${runId}/${stream}`;
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return;
    }
    const state = { again: false };
    this.running.set(key, state);
    void this.loop(runId, stream, state).finally(() => this.running.delete(key));
  }

  private async loop(runId: string, stream: TelemetryStream, state: { again: boolean }): Promise<void> {
    for (let round = 0; round < 1000 && !this.signal.aborted; round++) {
      const live = this.model.runs.get(runId);
      if (!live) return;
      let page;
      try {
        page = await ambulanceApi.telemetry(runId, stream, live.seq[stream], PAGE[stream], this.signal);
      } catch {
        // Offline again or the run is gone: the next (re)watch finds the stream behind and fills it.
        return;
      }
      this.pages += 1;
      this.onPage(this.pages);
      this.model.apply(runId, stream, page.items, Date.now());
      const caughtUp = page.items.length < PAGE[stream];
      if (caughtUp && !state.again) return;
      if (caughtUp) state.again = false;
    }
  }
}

export function useBoard(signaling: SignalingClient): {
  model: BoardModel;
  status: BoardStatus;
  error: string | null;
  /** History pages fetched to fill gaps. */
  fills: number;
} {
  const model = useMemo(() => new BoardModel(), []);
  const [status, setStatus] = useState<BoardStatus>('connecting');
  const [error, setError] = useState<string | null>(null);
  const [fills, setFills] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    const filler = new Filler(model, abort.signal, setFills);
    const watch = async () => {
      try {
        const { runs } = await signaling.request('board:watch', {});
        if (abort.signal.aborted) return;
        for (const { runId, stream } of model.setRuns(runs)) filler.fill(runId, stream);
        setStatus('live');
        setError(null);
      } catch (err) {
        if (abort.signal.aborted) return;
        setStatus('error');
        setError(err instanceof Error ? err.message : String(err));
      }
    };
    const offs = [
      signaling.on('runUpdated', ({ run }) => {
        const live = model.upsertRun(run);
        if (live)
          for (const s of ['vitals', 'position', 'event', 'ecg'] as const)
            if (run.acked[s] > live.seq[s]) filler.fill(run.id, s);
      }),
      signaling.on('telemetry', (n) => {
        if (model.apply(n.runId, n.stream, n.items, Date.now())) filler.fill(n.runId, n.stream);
      }),
      signaling.onState((state: ConnectionState) => {
        if (state === 'connected') void watch();
        else setStatus('offline');
      }),
    ];
    if (signaling.connected) void watch();
    return () => {
      abort.abort();
      offs.forEach((off) => off());
      if (signaling.connected) signaling.request('board:unwatch', {}).catch(() => undefined);
    };
  }, [model, signaling]);

  return { model, status, error, fills };
}
