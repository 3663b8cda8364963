// Resumable chunked upload for the browser (a clinic on a bad network): create a session for one file
// (POST /api/uploads {name, size, sha256?}), PUT its parts in any order and as often as needed
// (PUT /api/uploads/{id}/parts/{n}), ask what arrived (GET /api/uploads/{id}), then complete
// (POST /api/uploads/{id}/complete), which runs the file through the one ingest pipeline. Parts are
// kept on disk, so a dropped connection or a restart loses at most the part in flight. Progress goes
// out on `events` ('progress') for the live UI. Sessions belong to their user; others get 404.
import { EventEmitter } from 'node:events';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile, open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type Request } from 'express';
import type { Principal } from '../api.js';
import type { FileIngestResult, PipelineIngestor } from '../ingest/ingestor.js';
import { handler, HttpError, principalOf } from './http.js';

export type UploadState = 'receiving' | 'ingesting' | 'stored' | 'duplicate' | 'failed';

export interface UploadProgress {
  uploadId: string;
  userId: string;
  name: string;
  size: number;
  bytesReceived: number;
  state: UploadState;
  reason?: string;
}

export interface UploadEvents {
  progress: [UploadProgress];
}

interface Session {
  id: string;
  userId: string;
  name: string;
  size: number;
  partBytes: number;
  sha256?: string;
  createdAt: string;
  state: UploadState;
  reason?: string;
  result?: { sopInstanceUid?: string; studyInstanceUid?: string; status: string };
}

export interface UploadSessionsOptions {
  dataDir: string;
  ingestor: PipelineIngestor;
  maxFileBytes?: number;
  partBytes?: number;
  /**
   * Largest file read into memory when it cannot be validated and stored from disk (deflated or
   * big-endian syntax, or an upstream PACS that takes bytes); larger ones get 413. Default 512 MiB.
   */
  maxInMemoryBytes?: number;
  /** Sessions untouched for longer than this are removed by `sweep` (default 24 h). */
  maxAgeMs?: number;
}

const ID = /^[0-9a-f-]{36}$/;

export class UploadSessions {
  readonly events = new EventEmitter<UploadEvents>();
  private readonly root: string;
  private readonly maxFileBytes: number;
  private readonly partBytes: number;
  private readonly maxInMemoryBytes: number;
  private readonly busy = new Set<string>();

  constructor(private readonly options: UploadSessionsOptions) {
    this.root = join(options.dataDir, 'uploads');
    this.maxFileBytes = options.maxFileBytes ?? 2 * 1024 * 1024 * 1024;
    this.partBytes = options.partBytes ?? 8 * 1024 * 1024;
    this.maxInMemoryBytes = options.maxInMemoryBytes ?? 512 * 1024 * 1024;
  }

  async create(principal: Principal, body: unknown): Promise<Session & { parts: number }> {
    const { name, size, sha256 } = (body ?? {}) as { name?: unknown; size?: unknown; sha256?: unknown };
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0)
      throw new HttpError(400, 'size must be a positive integer (bytes)');
    if (size > this.maxFileBytes)
      throw new HttpError(413, `the file is ${size} bytes; the limit is ${this.maxFileBytes}`);
    if (name !== undefined && (typeof name !== 'string' || name.length > 255))
      throw new HttpError(400, 'name must be a string of at most 255 characters');
    if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)))
      throw new HttpError(400, 'sha256 must be 64 lower-case hex digits');
    const session: Session = {
      id: randomUUID(),
      userId: principal.userId,
      name: typeof name === 'string' ? name : 'upload.dcm',
      size,
      partBytes: this.partBytes,
      ...(typeof sha256 === 'string' ? { sha256 } : {}),
      createdAt: new Date().toISOString(),
      state: 'receiving',
    };
    await mkdir(this.dir(session.id), { recursive: true });
    await this.save(session);
    return { ...session, parts: this.partCount(session) };
  }

  async status(principal: Principal, id: string) {
    const session = await this.load(principal, id);
    const received = await this.receivedParts(session);
    const bytesReceived = received.reduce((sum, n) => sum + this.partSize(session, n), 0);
    const parts = this.partCount(session);
    const missing = Array.from({ length: parts }, (_, i) => i + 1).filter((n) => !received.includes(n));
    return { ...session, parts, receivedParts: received, missingParts: missing, bytesReceived };
  }

  async putPart(
    principal: Principal,
    id: string,
    n: number,
    req: Request,
  ): Promise<{ bytesReceived: number }> {
    const session = await this.load(principal, id);
    if (session.state !== 'receiving') throw new HttpError(409, `the upload is already ${session.state}`);
    const parts = this.partCount(session);
    if (!Number.isInteger(n) || n < 1 || n > parts)
      throw new HttpError(400, `part number must be 1..${parts}`);
    const expected = this.partSize(session, n);
    const declared = req.get('content-length');
    if (declared !== undefined && Number(declared) !== expected) {
      throw new HttpError(
        400,
        `part ${n} must be exactly ${expected} bytes (Content-Length says ${declared})`,
      );
    }
    const temp = join(this.dir(id), `part-${n}.${randomUUID()}.partial`);
    const handle = await open(temp, 'w');
    let received = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > expected) throw new HttpError(400, `part ${n} is longer than ${expected} bytes`);
        await handle.write(chunk);
      }
      if (received !== expected)
        throw new HttpError(400, `part ${n} must be exactly ${expected} bytes, got ${received}`);
      await handle.sync();
    } catch (err) {
      await handle.close();
      await rm(temp, { force: true });
      req.resume();
      throw err;
    }
    await handle.close();
    await rename(temp, this.partPath(id, n));
    const status = await this.status(principal, id);
    this.emit(session, status.bytesReceived, 'receiving');
    return { bytesReceived: status.bytesReceived };
  }

  async complete(principal: Principal, id: string): Promise<{ httpStatus: number; body: unknown }> {
    const session = await this.load(principal, id);
    if (session.state !== 'receiving')
      return { httpStatus: session.state === 'failed' ? 400 : 200, body: session };
    if (this.busy.has(id)) throw new HttpError(409, 'the upload is already being completed');
    this.busy.add(id);
    try {
      const status = await this.status(principal, id);
      if (status.missingParts.length) {
        throw new HttpError(
          409,
          `parts still missing: ${status.missingParts.slice(0, 20).join(', ')}${status.missingParts.length > 20 ? ', …' : ''}`,
        );
      }
      // Parts are streamed into one file (hashed on the way): memory stays at one read buffer
      // whatever the file size, and the ingest pipeline takes the file by path.
      const assembled = join(this.dir(id), `assembled.${randomUUID()}.partial`);
      try {
        const sha256 = await this.assemble(
          status.receivedParts.map((n) => this.partPath(id, n)),
          assembled,
        );
        if (session.sha256 && sha256 !== session.sha256) {
          // The parts do not add up to the file the browser hashed: drop them so they are sent again.
          await Promise.all(status.receivedParts.map((n) => rm(this.partPath(id, n), { force: true })));
          throw new HttpError(
            422,
            'the received file does not match its sha256; all parts were discarded, please resend',
          );
        }
        this.emit(session, session.size, 'ingesting');
        const result = await this.options.ingestor.ingestFile(
          assembled,
          { size: session.size, sha256 },
          principal,
          { maxInMemoryBytes: this.maxInMemoryBytes },
        );
        const done = outcome(result);
        Object.assign(session, done.session);
        await this.save(session);
        await Promise.all(status.receivedParts.map((n) => rm(this.partPath(id, n), { force: true })));
        this.emit(session, session.size, session.state, session.reason);
        return { httpStatus: done.httpStatus, body: session };
      } finally {
        // Stored files were moved into the store; anything still here was refused.
        await rm(assembled, { force: true });
      }
    } finally {
      this.busy.delete(id);
    }
  }

  /** Concatenates the part files into `target` (fsynced) and returns the sha256 of the whole. */
  private async assemble(parts: string[], target: string): Promise<string> {
    const hash = createHash('sha256');
    const out = await open(target, 'wx');
    try {
      for (const part of parts) {
        for await (const chunk of createReadStream(part, {
          highWaterMark: 1 << 20,
        }) as AsyncIterable<Buffer>) {
          hash.update(chunk);
          await out.write(chunk);
        }
      }
      await out.sync();
    } finally {
      await out.close();
    }
    return hash.digest('hex');
  }

  async abort(principal: Principal, id: string): Promise<void> {
    await this.load(principal, id);
    await rm(this.dir(id), { recursive: true, force: true });
  }

  /** Removes sessions older than maxAgeMs and temp files of parts cut off mid-write. */
  async sweep(now = Date.now()): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const id of await readdir(this.root)) {
      const dir = join(this.root, id);
      try {
        const info = await stat(dir);
        if (now - info.mtimeMs > (this.options.maxAgeMs ?? 24 * 3600_000)) {
          await rm(dir, { recursive: true, force: true });
          continue;
        }
        for (const f of await readdir(dir))
          if (f.endsWith('.partial')) await rm(join(dir, f), { force: true });
      } catch {
        // A session removed while we looked is fine.
      }
    }
  }

  private emit(session: Session, bytesReceived: number, state: UploadState, reason?: string): void {
    this.events.emit('progress', {
      uploadId: session.id,
      userId: session.userId,
      name: session.name,
      size: session.size,
      bytesReceived,
      state,
      ...(reason ? { reason } : {}),
    });
  }

  private partCount(s: Session): number {
    return Math.ceil(s.size / s.partBytes);
  }

  private partSize(s: Session, n: number): number {
    return n < this.partCount(s) ? s.partBytes : s.size - s.partBytes * (this.partCount(s) - 1);
  }

  private dir(id: string): string {
    return join(this.root, id);
  }

  private partPath(id: string, n: number): string {
    return join(this.dir(id), `part-${n}`);
  }

  private async receivedParts(s: Session): Promise<number[]> {
    const files = await readdir(this.dir(s.id)).catch(() => [] as string[]);
    return files
      .map((f) => /^part-(\d+)$/.exec(f)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async load(principal: Principal, id: string): Promise<Session> {
    if (!ID.test(id)) throw new HttpError(404, 'no such upload');
    let session: Session;
    try {
      session = JSON.parse(await readFile(join(this.dir(id), 'session.json'), 'utf8')) as Session;
    } catch {
      throw new HttpError(404, 'no such upload');
    }
    if (session.userId !== principal.userId) throw new HttpError(404, 'no such upload');
    return session;
  }

  private async save(session: Session): Promise<void> {
    const path = join(this.dir(session.id), 'session.json');
    await writeFile(`${path}.tmp`, JSON.stringify(session));
    await rename(`${path}.tmp`, path);
  }
}

function outcome(result: FileIngestResult): { httpStatus: number; session: Partial<Session> } {
  switch (result.status) {
    case 'too-large':
      return {
        httpStatus: 413,
        session: { state: 'failed', reason: result.reason, result: { status: 'too-large' } },
      };
    case 'stored':
    case 'duplicate':
      return {
        httpStatus: 200,
        session: {
          state: result.status,
          result: {
            status: result.status,
            sopInstanceUid: result.record.sopInstanceUid,
            studyInstanceUid: result.record.studyInstanceUid,
          },
        },
      };
    case 'conflict':
      return {
        httpStatus: 409,
        session: { state: 'failed', reason: result.reason, result: { status: 'conflict' } },
      };
    case 'denied':
      return {
        httpStatus: 403,
        session: { state: 'failed', reason: result.reason, result: { status: 'denied' } },
      };
    case 'invalid':
      return {
        httpStatus: 400,
        session: { state: 'failed', reason: result.reason, result: { status: 'invalid' } },
      };
  }
}

export function createUploadsRouter(uploads: UploadSessions): Router {
  const r = Router();
  r.post(
    '/',
    express.json({ limit: '16kb' }),
    handler(async (req, res) => {
      res.status(201).json(await uploads.create(principalOf(req), req.body));
    }),
  );
  r.get(
    '/:id',
    handler(async (req, res) => {
      res.json(await uploads.status(principalOf(req), String(req.params.id)));
    }),
  );
  r.put(
    '/:id/parts/:n',
    handler(async (req, res) => {
      res.json(await uploads.putPart(principalOf(req), String(req.params.id), Number(req.params.n), req));
    }),
  );
  r.post(
    '/:id/complete',
    handler(async (req, res) => {
      const { httpStatus, body } = await uploads.complete(principalOf(req), String(req.params.id));
      res.status(httpStatus).json(body);
    }),
  );
  r.delete(
    '/:id',
    handler(async (req, res) => {
      await uploads.abort(principalOf(req), String(req.params.id));
      res.status(204).end();
    }),
  );
  return r;
}
