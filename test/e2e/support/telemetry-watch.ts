// A hospital board's view of one run's telemetry, as a real client keeps it: `board:watch` on every
// (re)connect, live `telemetry` notifications appended when they continue the stream, and a re-sync
// from the REST history whenever it reconnects or sees a gap. Counts what arrived twice or out of
// order so tests can assert on the raw notification stream too.
import { io, type Socket } from 'socket.io-client';
import {
  TELEMETRY_STREAMS,
  type NotificationEnvelope,
  type TelemetryHistory,
  type TelemetryStream,
} from '@telemed/signaling/protocol';

type Sample = { seq: number; t: number };

export class TelemetryWatch {
  readonly samples = new Map<TelemetryStream, Sample[]>(TELEMETRY_STREAMS.map((s) => [s, []]));
  /** Live items whose seq was already held (each is counted; a board drops them). */
  duplicates = 0;
  /** Live items that skipped ahead of the held sequence (a notification missed). */
  gaps = 0;
  /** When each live item arrived (ms), keyed `${stream}:${seq}`. */
  readonly arrivedAt = new Map<string, number>();
  private readonly socket: Socket;
  private runId: string | null = null;
  private syncing: Promise<void> = Promise.resolve();
  connects = 0;

  constructor(
    private baseUrl: string,
    private readonly token: string,
  ) {
    this.socket = io(baseUrl, {
      transports: ['websocket'],
      auth: { token },
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
    });
    this.socket.on('connect', () => {
      this.connects++;
      void this.socket.timeout(10_000).emitWithAck('request', { method: 'board:watch', data: {} });
      this.resync();
    });
    this.socket.on('disconnect', (reason) => {
      // A server shutting down says goodbye ("io server disconnect"), after which Socket.IO would
      // stay offline; a board wants the restarted server.
      if (reason === 'io server disconnect') setTimeout(() => this.socket.connect(), 200);
    });
    this.socket.on('notification', (n: NotificationEnvelope) => {
      if (n.method !== 'telemetry') return;
      const data = n.data as { runId: string; stream: TelemetryStream; items: Sample[] };
      if (this.runId === null || data.runId !== this.runId) return;
      const list = this.samples.get(data.stream)!;
      for (const item of data.items) {
        const last = list.at(-1)?.seq ?? 0;
        this.arrivedAt.set(`${data.stream}:${item.seq}`, Date.now());
        if (item.seq <= last) this.duplicates++;
        else if (item.seq === last + 1) list.push(item);
        else {
          this.gaps++;
          this.resync();
          break;
        }
      }
    });
  }

  /** Follow this run (set before or right after it starts; the history fills what came before). */
  follow(runId: string): void {
    this.runId = runId;
    this.resync();
  }

  connected(): Promise<void> {
    return this.socket.connected
      ? Promise.resolve()
      : new Promise((r) => this.socket.once('connect', () => r()));
  }

  private resync(): void {
    this.syncing = this.syncing.then(() => this.fetchMissing()).catch(() => undefined);
  }

  private async fetchMissing(): Promise<void> {
    if (!this.runId) return;
    for (const stream of TELEMETRY_STREAMS) {
      const list = this.samples.get(stream)!;
      for (;;) {
        const after = list.at(-1)?.seq ?? 0;
        const page = await getJson<TelemetryHistory>(
          `${this.baseUrl}/api/ambulance/runs/${this.runId}/telemetry/${stream}?after=${after}&limit=5000`,
          this.token,
        );
        for (const item of page.items as Sample[])
          if (item.seq === (list.at(-1)?.seq ?? 0) + 1) list.push(item);
        if (page.items.length < 5000) break;
      }
    }
  }

  close(): void {
    this.socket.close();
  }
}

export async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every stored sample of a run's stream, through the REST history in pages. */
export async function storedHistory(baseUrl: string, token: string, runId: string, stream: TelemetryStream) {
  const out: Sample[] = [];
  for (;;) {
    const page = await getJson<TelemetryHistory>(
      `${baseUrl}/api/ambulance/runs/${runId}/telemetry/${stream}?after=${out.at(-1)?.seq ?? 0}&limit=5000`,
      token,
    );
    out.push(...(page.items as Sample[]));
    if (page.items.length < 5000) return out;
  }
}

/** Resolves when `cond` holds, checking every 50 ms; fails after `ms` naming `what`. */
export function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}
