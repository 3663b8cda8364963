// The crew page's store-and-forward telemetry: every event and manual vital goes into the run's
// IndexedDB journal first (TelemetryOutbox), then over a Socket.IO connection of its own to the
// server, which acknowledges what it stored. A connection of its own because the browser knows of
// a network loss (the `offline` event) long before a socket's heartbeat does: we drop it at once
// and connect again on `online`, and the room's connection keeps its own reconnection logic.
import { io, type Socket } from 'socket.io-client';
import {
  IndexedDbJournal,
  TelemetryOutbox,
  TelemetrySender,
  socketTransport,
  type SampleInput,
  type SenderStatus,
} from '@telemed/signaling/ambulance-client';
import {
  TELEMETRY_STREAMS,
  type EventSample,
  type StreamAcks,
  type TelemetryStream,
} from '@telemed/signaling/protocol';
import { auth } from '../../app/services.js';
import { Emitter } from '../../util/emitter.js';

export interface QueueStatus {
  online: boolean;
  /** Samples recorded here and not yet acknowledged by the server (all streams). */
  pending: number;
  /** A stream stopped on an error retrying cannot fix, or the journal failed. */
  error: string | null;
  /**
   * The stream stopped because the server holds different samples under its seqs (CONFLICT on a run
   * still en route): another device is sending the same stream of this run.
   */
  conflict: TelemetryStream | null;
}

export class CrewTelemetry extends Emitter<{ change: [] }> {
  private current: QueueStatus = { online: false, pending: 0, error: null, conflict: null };
  private readonly cleanup: Array<() => void> = [];

  private constructor(
    private readonly outbox: TelemetryOutbox,
    private readonly socket: Socket,
    private readonly sender: TelemetrySender,
  ) {
    super();
    this.cleanup.push(
      sender.onStatus((s) => this.update(s)),
      sender.onError((stream, error) => {
        console.warn(`telemetry ${stream} stopped`, error.code);
        this.update(sender.status());
      }),
    );
    const offline = () => socket.disconnect();
    // A connection attempt made while the network was gone may hang until its timeout: start afresh.
    const online = () => {
      if (socket.connected) return;
      socket.disconnect();
      socket.connect();
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    this.cleanup.push(() => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    });
    this.update(sender.status());
  }

  /** Opens the run's journal (whatever an earlier page left unsent is sent first) and connects. */
  static async open(runId: string): Promise<CrewTelemetry> {
    const outbox = await TelemetryOutbox.open(await IndexedDbJournal.open(runId), runId);
    const socket = io(window.location.origin, {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      auth: (cb) => cb({ token: auth.accessToken() }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 3_000,
      // Over a dead mobile link a handshake hangs rather than fails; give up on it sooner than 20 s.
      timeout: 5_000,
      autoConnect: navigator.onLine !== false,
    });
    socket.on('connect_error', (err: Error) => {
      // An expired token: refresh it and try again (socket.io does not retry refused handshakes).
      if (err.message === 'UNAUTHORIZED') void auth.refresh().then((ok) => ok && socket.connect());
    });
    const sender = new TelemetrySender(outbox, socketTransport(socket));
    return new CrewTelemetry(outbox, socket, sender);
  }

  /**
   * Where the server's streams stand, from the run as read: a journal that is empty for this run (cleared
   * storage, another tablet) numbers on after it rather than from 1. Without it the sender's resume
   * tells the same once connected; until one of them has, recorded samples wait (see TelemetryOutbox).
   */
  seed(acked: StreamAcks): Promise<void> {
    return this.outbox.learnBaseline(acked);
  }

  get status(): QueueStatus {
    return this.current;
  }

  /** Durable once this resolves (it is in the journal); delivered whenever the network allows. */
  recordEvent(kind: EventSample['kind'], text: string): Promise<EventSample> {
    return this.outbox.record('event', { t: Date.now(), kind, text });
  }

  recordVitals(vitals: Omit<SampleInput<'vitals'>, 't'>): Promise<unknown> {
    return this.outbox.record('vitals', { ...vitals, t: Date.now() });
  }

  async close(): Promise<void> {
    for (const off of this.cleanup.splice(0)) off();
    this.sender.stop();
    this.socket.removeAllListeners();
    this.socket.disconnect();
    await this.outbox.close();
  }

  private update(s: SenderStatus): void {
    const pending = TELEMETRY_STREAMS.reduce((n, stream: TelemetryStream) => n + s.pending[stream], 0);
    const stalledStream = TELEMETRY_STREAMS.find((stream) => s.stalled[stream]);
    const stalled = stalledStream ? s.stalled[stalledStream] : undefined;
    const error = this.outbox.failed?.message ?? (stalled ? `${stalled.code}: ${stalled.message}` : null);
    // A run no longer en route answers CONFLICT too; the run screen shows that state itself.
    const conflict =
      stalled?.code === 'CONFLICT' && /different sample/.test(stalled.message) ? stalledStream! : null;
    const next = { online: s.online, pending, error, conflict };
    if (
      next.online === this.current.online &&
      next.pending === this.current.pending &&
      next.error === this.current.error &&
      next.conflict === this.current.conflict
    )
      return;
    this.current = next;
    this.emit('change');
  }
}
