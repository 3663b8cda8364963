// The sender against a stand-in server that keeps the contract's rules (store contiguous seqs only,
// answer the highest stored) over a real Socket.IO connection, with faults injected on the server
// side: unanswered pushes, RATE_LIMITED, a refused sample, a dropped connection.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { TELEMETRY_STREAMS, type TelemetryStream } from '../protocol/ambulance.js';
import { MemoryJournal } from './memory-journal.js';
import { TelemetryOutbox, zeroAcks, type AnySample } from './outbox.js';
import { TelemetrySender } from './sender.js';
import { socketTransport } from './transport.js';
import { STANDARD_LEADS } from '@telemed/pacs-bridge/ecg-wire';

const canon = (v: unknown): string =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
    ? `{${Object.keys(v)
        .sort()
        .map((k) => `${k}:${canon((v as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(v);

interface Faults {
  /** Pushes to swallow (no store, no answer). */
  drop: number;
  rateLimit: number;
  badRequest: boolean;
}

async function fakeServer() {
  const http = createServer();
  const server = new Server(http);
  const stored = new Map<TelemetryStream, AnySample[]>(TELEMETRY_STREAMS.map((s) => [s, []]));
  const faults: Faults = { drop: 0, rateLimit: 0, badRequest: false };
  let pushes = 0;
  server.on('connection', (socket) => {
    socket.on(
      'request',
      (
        req: { method: string; data: { stream: TelemetryStream; items: unknown[] } },
        ack: (a: unknown) => void,
      ) => {
        if (req.method === 'telemetry:resume') {
          const acked = Object.fromEntries(TELEMETRY_STREAMS.map((s) => [s, stored.get(s)!.length]));
          return ack({ ok: true, data: { acked } });
        }
        pushes++;
        if (faults.drop > 0) return void faults.drop--;
        if (faults.rateLimit > 0) {
          faults.rateLimit--;
          return ack({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } });
        }
        if (faults.badRequest)
          return ack({ ok: false, error: { code: 'BAD_REQUEST', message: 'bad sample' } });
        const list = stored.get(req.data.stream)!;
        const items = req.data.items as AnySample[];
        // As the real store: a stored seq must come back as the very same sample.
        const clash = items.find((i) => i.seq <= list.length && canon(i) !== canon(list[i.seq - 1]));
        if (clash)
          return ack({
            ok: false,
            error: { code: 'CONFLICT', message: `seq ${clash.seq} already holds a different sample` },
          });
        for (const item of items) {
          if (item.seq <= list.length) continue;
          if (item.seq !== list.length + 1) break;
          list.push(item);
        }
        ack({ ok: true, data: { stream: req.data.stream, acked: list.length } });
      },
    );
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    stored,
    faults,
    get pushes() {
      return pushes;
    },
    kick: () => server.disconnectSockets(true),
    close: () => new Promise<void>((r) => void server.close(() => r())),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const T0 = Date.UTC(2025, 0, 1);
function ecg(i: number) {
  const data = new Int16Array(12 * 125).fill(i % 1000);
  const b64 = Buffer.from(data.buffer).toString('base64');
  return {
    t: T0 + i * 250,
    sampleRate: 500,
    leads: [...STANDARD_LEADS],
    count: 125,
    microvoltsPerUnit: 1,
    data: b64,
  };
}

async function setup(options: { connectNow?: boolean; journal?: 'new-run' | 'fresh' } = {}) {
  const server = await fakeServer();
  cleanups.push(server.close);
  const socket: Socket = connect(server.url, {
    transports: ['websocket'],
    autoConnect: options.connectNow ?? true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
  });
  cleanups.push(() => void socket.close());
  // 'fresh': an empty journal on a run that may already have telemetry (no baseline given).
  const outbox = await TelemetryOutbox.open(
    new MemoryJournal(),
    'run-1',
    options.journal === 'fresh' ? {} : { baseline: zeroAcks() },
  );
  const sender = new TelemetrySender(outbox, socketTransport(socket, { serverDisconnectRetryMs: 50 }), {
    minBackoffMs: 20,
    maxBackoffMs: 100,
    ackTimeoutMs: 300,
  });
  cleanups.push(() => sender.stop());
  return { server, socket, outbox, sender };
}

function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

const seqs = (list: AnySample[]) => list.map((s) => s.seq);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('TelemetrySender', () => {
  it('delivers a backlog recorded offline in order, in pushes under the size limit, then live data', async () => {
    const { server, socket, outbox, sender } = await setup({ connectNow: false });
    for (let i = 0; i < 120; i++) await outbox.record('ecg', ecg(i));
    for (let i = 0; i < 30; i++) await outbox.record('vitals', { t: T0 + i * 1000, hr: 70 + (i % 5) });
    expect(sender.status()).toMatchObject({ online: false, pending: { ecg: 120, vitals: 30 } });
    socket.connect();
    // Live samples keep coming while the backlog drains.
    for (let i = 120; i < 140; i++) await outbox.record('ecg', ecg(i));
    await until(() => sender.drained, 'drained');
    expect(seqs(server.stored.get('ecg')!)).toEqual(range(140));
    expect(seqs(server.stored.get('vitals')!)).toEqual(range(30));
    // 140 chunks of ~4 KB in pushes of at most 40 KB: about 15 pushes for ECG, not 140.
    expect(server.pushes).toBeLessThan(30);
    expect(sender.status()).toMatchObject({
      online: true,
      pending: { ecg: 0 },
      acked: { ecg: 140, vitals: 30 },
    });
  });

  it('resends from the gap when pushes go unanswered (lost), each seq stored once', async () => {
    const { server, outbox, sender } = await setup();
    await until(() => sender.status().online, 'online');
    server.faults.drop = 3;
    for (let i = 0; i < 60; i++)
      void outbox.record('position', { t: T0 + i * 1000, lat: 30 + i / 1e4, lon: 120 });
    await outbox.flush();
    await until(() => sender.drained, 'drained');
    expect(seqs(server.stored.get('position')!)).toEqual(range(60));
    expect(sender.status().sent.position).toBeGreaterThan(60); // some were sent twice; stored once
  });

  it('backs off on RATE_LIMITED and gets everything through', async () => {
    const { server, outbox, sender } = await setup();
    await until(() => sender.status().online, 'online');
    server.faults.rateLimit = 4;
    for (let i = 0; i < 20; i++) await outbox.record('event', { t: T0 + i, kind: 'note', text: `note ${i}` });
    await until(() => sender.drained, 'drained');
    expect(seqs(server.stored.get('event')!)).toEqual(range(20));
  });

  it('rides out a dropped connection: resume, nothing lost or doubled', async () => {
    const { server, outbox, sender } = await setup();
    await until(() => sender.status().online, 'online');
    for (let i = 0; i < 10; i++) await outbox.record('ecg', ecg(i));
    server.kick();
    for (let i = 10; i < 50; i++) await outbox.record('ecg', ecg(i));
    await until(() => sender.drained && sender.status().online, 'drained after reconnect');
    expect(seqs(server.stored.get('ecg')!)).toEqual(range(50));
    expect(server.stored.get('ecg')![49]!.t).toBe(T0 + 49 * 250);
  });

  it('a refused sample stops its stream loudly and keeps the samples', async () => {
    const { server, outbox, sender } = await setup();
    await until(() => sender.status().online, 'online');
    const errors: string[] = [];
    sender.onError((stream, e) => errors.push(`${stream}:${e.code}`));
    server.faults.badRequest = true;
    await outbox.record('vitals', { t: T0, hr: 80 });
    await until(() => errors.length > 0, 'error raised');
    expect(errors).toEqual(['vitals:BAD_REQUEST']);
    expect(sender.status()).toMatchObject({
      pending: { vitals: 1 },
      stalled: { vitals: { code: 'BAD_REQUEST' } },
    });
    server.faults.badRequest = false;
    sender.retryStalled();
    await until(() => sender.drained, 'drained after retry');
    expect(seqs(server.stored.get('vitals')!)).toEqual([1]);
  });

  it('a fresh journal on a run with telemetry numbers after the server, held samples in order', async () => {
    const { server, socket, outbox, sender } = await setup({ connectNow: false, journal: 'fresh' });
    // What the first device stored before this one started with an empty journal.
    const first = range(5).map((seq) => ({ seq, t: T0 + seq, kind: 'note' as const, text: `a${seq}` }));
    server.stored.get('event')!.push(...first);
    const numbered: number[] = [];
    const held = [1, 2, 3].map((i) =>
      outbox.record('event', { t: T0 + 100 + i, kind: 'note', text: ` b${i} ` }).then((s) => {
        numbered.push(s.seq);
        return s;
      }),
    );
    // Nothing numbered or journaled before the server has said where the stream continues.
    await outbox.flush();
    expect(numbered).toEqual([]);
    expect(outbox.lastSeq('event')).toBe(0);
    expect(sender.status().pending.event).toBe(3);
    socket.connect();
    expect((await Promise.all(held)).map((s) => s.seq)).toEqual([6, 7, 8]);
    expect(numbered).toEqual([6, 7, 8]);
    await until(() => sender.drained, 'drained');
    const events = server.stored.get('event')!;
    expect(seqs(events)).toEqual(range(8));
    expect(events.map((e) => (e as { text: string }).text)).toEqual([
      ...first.map((e) => e.text),
      'b1',
      'b2',
      'b3',
    ]);
    // A stream this device never sent starts where the server is, too.
    expect((await outbox.record('vitals', { t: T0, hr: 70 })).seq).toBe(1);
  });

  it('a second device numbering the same stream is refused with CONFLICT, loudly, and keeps its samples', async () => {
    const { server, outbox, sender } = await setup({ journal: 'fresh' });
    await until(() => sender.status().online, 'online');
    const errors: string[] = [];
    sender.onError((stream, e) => errors.push(`${stream}:${e.code}`));
    await outbox.record('vitals', { t: T0, hr: 80 });
    await until(() => sender.drained, 'drained');
    // The other device (its journal also at 1) stores its 2 and 3; ours is a different 2.
    server.stored.get('vitals')!.push({ seq: 2, t: T0 + 1, hr: 90 }, { seq: 3, t: T0 + 2, hr: 91 });
    await outbox.record('vitals', { t: T0 + 5, hr: 81 });
    await until(() => errors.length > 0, 'conflict raised');
    expect(errors).toEqual(['vitals:CONFLICT']);
    expect(sender.status()).toMatchObject({
      pending: { vitals: 1 },
      stalled: { vitals: { code: 'CONFLICT' } },
    });
    expect(server.stored.get('vitals')!.map((v) => (v as { hr: number }).hr)).toEqual([80, 90, 91]);
  });
});
