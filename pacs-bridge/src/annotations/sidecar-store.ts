// Annotations saved with a study: a JSON sidecar per study, kept as append-only versions (one JSON
// line per save in `<dataDir>/annotations/<study>.jsonl`, fsynced), so the record shows what a consult
// marked and when, and a later save never erases an earlier one. Saves of one study are serialised;
// the latest version of each study read is cached.
import { mkdirSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SidecarVersion {
  studyInstanceUid: string;
  version: number;
  savedAt: string;
  savedBy: string;
  roomId?: string;
  /** Opaque to the store: validated by the router (see validate.ts). */
  annotations: unknown[];
}

export class VersionConflict extends Error {
  constructor(readonly current: number) {
    super(`the annotations were saved meanwhile (now version ${current})`);
    this.name = 'VersionConflict';
  }
}

const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;

export class AnnotationSidecars {
  private readonly dir: string;
  private readonly latestCache = new Map<string, SidecarVersion | null>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'annotations');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Every saved version of the study, oldest first. */
  async versions(studyInstanceUid: string): Promise<SidecarVersion[]> {
    let text: string;
    try {
      text = await readFile(this.path(studyInstanceUid), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // A torn last line (crash mid-append) is ignored: that save was never acknowledged.
    const out: SidecarVersion[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as SidecarVersion);
      } catch {
        break;
      }
    }
    return out;
  }

  async latest(studyInstanceUid: string): Promise<SidecarVersion | null> {
    if (this.latestCache.has(studyInstanceUid)) return this.latestCache.get(studyInstanceUid)!;
    const all = await this.versions(studyInstanceUid);
    const last = all.at(-1) ?? null;
    this.latestCache.set(studyInstanceUid, last);
    return last;
  }

  /** Appends a new version; with `baseVersion`, only if nobody saved since that one. */
  save(
    studyInstanceUid: string,
    entry: { savedBy: string; roomId?: string; annotations: unknown[]; baseVersion?: number },
  ): Promise<SidecarVersion> {
    const previous = this.queues.get(studyInstanceUid) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.append(studyInstanceUid, entry));
    this.queues.set(studyInstanceUid, run);
    void run
      .finally(() => {
        if (this.queues.get(studyInstanceUid) === run) this.queues.delete(studyInstanceUid);
      })
      .catch(() => undefined);
    return run;
  }

  private async append(
    studyInstanceUid: string,
    entry: { savedBy: string; roomId?: string; annotations: unknown[]; baseVersion?: number },
  ): Promise<SidecarVersion> {
    const current = (await this.latest(studyInstanceUid))?.version ?? 0;
    if (entry.baseVersion !== undefined && entry.baseVersion !== current) throw new VersionConflict(current);
    const version: SidecarVersion = {
      studyInstanceUid,
      version: current + 1,
      savedAt: new Date().toISOString(),
      savedBy: entry.savedBy,
      ...(entry.roomId ? { roomId: entry.roomId } : {}),
      annotations: entry.annotations,
    };
    const file = await open(this.path(studyInstanceUid), 'a', 0o600);
    try {
      await file.write(`${JSON.stringify(version)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    this.latestCache.set(studyInstanceUid, version);
    return version;
  }

  private path(studyInstanceUid: string): string {
    // The router checks UIDs already; this keeps a bad caller from naming a file outside the folder.
    if (!UID.test(studyInstanceUid) || studyInstanceUid.length > 64) throw new Error('not a DICOM UID');
    return join(this.dir, `${studyInstanceUid}.jsonl`);
  }
}
