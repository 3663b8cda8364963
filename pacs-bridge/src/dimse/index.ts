// The DIMSE door of the bridge: a DICOM listener (C-ECHO, C-STORE, C-FIND SCP) on a configurable
// host, port and AE title. We run our own TCP server rather than dcmjs-dimse's Server because
// that one cannot bind to a given address (the tests and single-host deployments need loopback).
import { createServer, type Socket } from 'node:net';
import type { AuditLog, Ingestor, Principal, StudyStore } from '../api.js';
import type { Scope } from './find.js';
import { DEFAULT_MAX_PDU_BYTES, guardPdus } from './pdu-gate.js';
import { TelemedScp, type MoveTarget } from './scp.js';

export interface DimseServerOptions {
  host: string;
  port: number;
  /** Our AE title; associations addressed to another one are rejected. Default 'TELEMED'. */
  aeTitle?: string;
  ingestor: Ingestor;
  store: StudyStore;
  audit: AuditLog;
  /**
   * The AE allow-list: the principal (institution) a calling AE acts as, or null to reject the
   * association. See `demoAeAccess` and `allowListAeAccess`.
   */
  aeAccess: (callingAe: string, address: string) => Principal | null;
  /** What a principal may see in C-FIND; default: admin all, everyone else their institution. */
  scope?: (principal: Principal) => Scope | Promise<Scope>;
  /** Where C-STOREs from the upstream PACS go while we C-MOVE from it (see upstream/). */
  upstreamMoveTarget?: MoveTarget;
  /**
   * Largest instance accepted over C-STORE (default 512 MiB): a received dataset is held in memory
   * until stored, so this times `maxAssociations` bounds what peers can make us hold.
   */
  maxInstanceBytes?: number;
  /** P-DATA-TF maximum length we advertise and enforce on the raw socket (default 256 KiB). */
  maxPduBytes?: number;
  /** Concurrent associations; more are rejected (transient, local limit exceeded). Default 32. */
  maxAssociations?: number;
  /** dcmjs-dimse timeouts in ms (association and PDU default 60 s; idle connection 180 s). */
  associationTimeoutMs?: number;
  pduTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface DimseServer {
  port: number;
  aeTitle: string;
  /** Open connections (associations in progress), for operators and tests. */
  connections(): number;
  close(): Promise<void>;
}

export const DEFAULT_AE_TITLE = 'TELEMED';

export const defaultScope = (principal: Principal): Scope =>
  principal.role === 'admin' ? {} : { institutions: [principal.institutionId] };

export async function startDimseServer(opts: DimseServerOptions): Promise<DimseServer> {
  const aeTitle = opts.aeTitle ?? DEFAULT_AE_TITLE;
  const sockets = new Set<Socket>();
  const ctx = {
    aeTitle,
    ingestor: opts.ingestor,
    store: opts.store,
    audit: opts.audit,
    aeAccess: opts.aeAccess,
    scope: opts.scope ?? defaultScope,
    maxInstanceBytes: opts.maxInstanceBytes ?? 512 * 1024 * 1024,
    maxPduBytes: opts.maxPduBytes ?? DEFAULT_MAX_PDU_BYTES,
    ...(opts.upstreamMoveTarget ? { upstreamMoveTarget: opts.upstreamMoveTarget } : {}),
  };
  const networkOpts = {
    associationTimeout: opts.associationTimeoutMs ?? 60_000,
    pduTimeout: opts.pduTimeoutMs ?? 60_000,
    connectTimeout: opts.connectTimeoutMs ?? 180_000,
  };
  const maxAssociations = opts.maxAssociations ?? 32;
  const limits = { maxPduBytes: ctx.maxPduBytes, maxControlPduBytes: 1024 * 1024 };
  const server = createServer((socket) => {
    // Beyond twice the cap we do not even answer: a flood of connections gets closed at once.
    if (sockets.size >= 2 * maxAssociations) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A peer resetting the connection must not take the process down; dcmjs-dimse reports it too.
    socket.on('error', () => socket.destroy());
    // Small DIMSE responses must not wait on Nagle + delayed ACK (~40 ms per C-STORE otherwise).
    socket.setNoDelay(true);
    // Before dcmjs-dimse's own listener, so an oversized PDU is never collected.
    const holder: { scp?: TelemedScp } = {};
    guardPdus(socket, limits, (why) => holder.scp?.protocolViolation(why));
    const scp = new TelemedScp(socket, networkOpts, ctx);
    holder.scp = scp;
    scp.overCapacity = sockets.size > maxAssociations;
    // dcmjs-dimse only notes an idle timeout; a peer that goes quiet (or declares a huge PDU and
    // never sends it) would keep its socket and buffers forever, so we end it.
    socket.on('timeout', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    aeTitle,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export { demoAeAccess, allowListAeAccess, type AeEntry } from './ae-access.js';
export type { MoveTarget } from './scp.js';
export type { Scope } from './find.js';
export { RawDataset, toPart10 } from './raw-dataset.js';
export * from './scu.js';
