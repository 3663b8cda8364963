// The raw-socket guard in front of dcmjs-dimse: a peer declaring a giant PDU is aborted after one
// chunk while others keep being served, and associations beyond the cap are refused transiently.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Ingestor, StudyStore } from '../api.js';
import { assertDcmtkInstalled, echoscu, type DcmtkPeer } from '../testing/dcmtk.js';
import { demoAeAccess, startDimseServer, type DimseServer } from './index.js';
import { PduBoundaries } from './pdu-gate.js';

type Audit = Omit<AuditEntry, 'seq' | 'time' | 'prevHash' | 'hash'>;

describe('PduBoundaries', () => {
  const limits = { maxPduBytes: 100, maxControlPduBytes: 50 };
  const pdu = (type: number, length: number) => {
    const b = Buffer.alloc(6 + length);
    b[0] = type;
    b.writeUInt32BE(length, 2);
    return b;
  };

  it('follows PDUs split anywhere across chunks', () => {
    const stream = Buffer.concat([pdu(1, 40), pdu(4, 100), pdu(4, 3), pdu(5, 4)]);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const gate = new PduBoundaries(limits);
      expect(gate.feed(stream.subarray(0, cut))).toBeUndefined();
      expect(gate.feed(stream.subarray(cut))).toBeUndefined();
    }
  });

  it('names an oversized or unknown PDU even when its header is split', () => {
    const big = pdu(4, 101).subarray(0, 6);
    const gate = new PduBoundaries(limits);
    expect(gate.feed(Buffer.concat([pdu(4, 10), big.subarray(0, 3)]))).toBeUndefined();
    expect(gate.feed(big.subarray(3))).toMatch(/type 4 declares 101 bytes \(limit 100\)/);
    expect(new PduBoundaries(limits).feed(pdu(1, 51))).toMatch(/limit 50/);
    expect(new PduBoundaries(limits).feed(pdu(9, 0))).toMatch(/unknown PDU type 9/);
  });
});

describe('DIMSE server limits', () => {
  let server: DimseServer;
  let peer: DcmtkPeer;
  const audits: Audit[] = [];
  const open: Socket[] = [];

  beforeAll(async () => {
    assertDcmtkInstalled();
    server = await startDimseServer({
      host: '127.0.0.1',
      port: 0,
      ingestor: { ingest: async () => ({ status: 'invalid', reason: 'unused' }) } satisfies Ingestor,
      store: { kind: 'test' } as unknown as StudyStore,
      audit: { append: (e) => audits.push(e) },
      aeAccess: demoAeAccess(),
      maxAssociations: 3,
    });
    peer = { host: '127.0.0.1', port: server.port, calledAe: 'TELEMED', callingAe: 'ANY_AE' };
  });
  afterAll(async () => {
    for (const s of open) s.destroy();
    await server?.close();
  });

  const raw = async (): Promise<Socket> => {
    const socket = connect(server.port, '127.0.0.1');
    open.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return socket;
  };

  /** Sends a P-DATA-TF header declaring ~4 GiB, then keeps sending until the server cuts us off. */
  async function giantPdu(type: number): Promise<{ written: number; reply: Buffer }> {
    const socket = await raw();
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    const header = Buffer.from([type, 0, 0xff, 0xff, 0xff, 0xf0]);
    socket.write(header);
    const chunk = Buffer.alloc(64 * 1024, 0x55);
    let written = header.length;
    let done = false;
    void closed.then(() => (done = true));
    // Stop at 256 MiB regardless: if that much went through, the guard failed and the test says so.
    while (!done && written < 256 * 1024 * 1024) {
      written += chunk.length;
      if (!socket.write(chunk)) await Promise.race([new Promise((r) => socket.once('drain', r)), closed]);
    }
    await closed;
    return { written, reply: Buffer.concat(received) };
  }

  it('aborts a peer that declares a giant P-DATA while a parallel echoscu succeeds', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const [flood, echo] = await Promise.all([giantPdu(4), echoscu(peer)]);
    expect(echo.ok, echo.run.stderr).toBe(true);
    // A-ABORT (type 07), source service provider (2), reason invalid PDU parameter value (6).
    expect([...flood.reply.subarray(0, 10)]).toEqual([7, 0, 0, 0, 0, 4, 0, 0, 2, 6]);
    // Only what sat in socket buffers went out before the close; nothing like the declared 4 GiB.
    expect(flood.written).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
    expect(
      audits.some((a) => /association aborted: PDU of type 4 declares 4294967280/.test(a.detail ?? '')),
    ).toBe(true);
  });

  it('aborts a giant association request the same way', async () => {
    const flood = await giantPdu(1);
    expect(flood.reply[0]).toBe(7);
    expect(flood.written).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses associations over the cap (transient, local limit) and serves again once they close', async () => {
    await until(() => server.connections() === 0);
    const idle = await Promise.all([raw(), raw(), raw()]);
    await until(() => server.connections() === 3);
    const refused = await echoscu(peer);
    expect(refused.ok).toBe(false);
    expect(refused.run.stdout + refused.run.stderr).toMatch(/Local limit exceeded/i);
    expect(audits.at(-1)?.detail).toMatch(/too many associations/);
    for (const s of idle) s.destroy();
    await until(() => server.connections() === 0);
    expect((await echoscu(peer)).ok).toBe(true);
  });
});

/** Waits for a condition the server reaches asynchronously (socket close events). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}
