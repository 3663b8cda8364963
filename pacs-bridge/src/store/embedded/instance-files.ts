// The file half of the embedded store: `<dataDir>/dicom/<study>/<series>/<sop>.dcm`, written so a crash
// at any moment leaves either no file or the whole file — temp file in the same directory, fsync,
// rename over, fsync the directory (and the parents of directories just created). UIDs are checked again here because they become path names.
import { copyFile, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isValidUid } from '../../dicom/uids.js';
import { CoalescedSync, DurableDirs } from './durability.js';

const TEMP_SUFFIX = '.partial';

export class InstanceFiles {
  readonly root: string;
  readonly syncer = new CoalescedSync();
  private readonly dirs = new DurableDirs(this.syncer);

  constructor(dataDir: string) {
    this.root = join(dataDir, 'dicom');
  }

  /** Relative path of an instance (stored in the index, so the layout can change later). */
  relativePath(study: string, series: string, sop: string): string {
    for (const uid of [study, series, sop]) {
      if (!isValidUid(uid)) throw new Error('refusing to build a path from an invalid UID');
    }
    return join(study, series, `${sop}.dcm`);
  }

  async write(relative: string, bytes: Uint8Array): Promise<void> {
    const final = join(this.root, relative);
    const dir = join(final, '..');
    await this.dirs.ensure(dir);
    const temp = `${final}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    const handle = await open(temp, 'wx').catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      this.dirs.forget(dir);
      await this.dirs.ensure(dir);
      return open(temp, 'wx');
    });
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw err;
    }
    await handle.close();
    try {
      await rename(temp, final);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    // Shared with other instances renamed into the same series directory meanwhile.
    await this.syncer.sync(dir);
  }

  /**
   * Moves a file that is already durable (written and fsynced by the caller) into place: rename, then
   * fsync the directory. Across file systems it is copied to a temp file and written like `write`.
   */
  async adopt(source: string, relative: string): Promise<void> {
    const final = join(this.root, relative);
    const dir = join(final, '..');
    this.dirs.forget(dir);
    await this.dirs.ensure(dir);
    try {
      await rename(source, final);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      const temp = `${final}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
      try {
        await copyFile(source, temp);
        await syncFile(temp);
        await rename(temp, final);
      } catch (copyErr) {
        await rm(temp, { force: true });
        throw copyErr;
      }
      await rm(source, { force: true });
    }
    await this.syncer.sync(dir);
  }

  async exists(relative: string): Promise<boolean> {
    try {
      return (await stat(join(this.root, relative))).isFile();
    } catch {
      return false;
    }
  }

  /** The file as a stream, or null if it is missing (one open, no separate stat). */
  async open(relative: string): Promise<Readable | null> {
    let handle;
    try {
      handle = await open(join(this.root, relative), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    // Large reads: WADO-RS streams whole series, and 64 KiB chunks cost more in syscalls than in memory.
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  }

  /** Startup sweep: temp files left by a crash mid-write are removed; returns how many. */
  async sweepTempFiles(): Promise<number> {
    let removed = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && depth < 2) await walk(path, depth + 1);
        else if (entry.isFile() && entry.name.endsWith(TEMP_SUFFIX)) {
          await rm(path, { force: true });
          removed++;
        }
      }
    };
    await walk(this.root, 0);
    return removed;
  }

  /** Every instance file on disk (relative paths), for consistency checks and tests. */
  async listFiles(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.isDirectory() && depth < 2)
          await walk(join(dir, entry.name), join(rel, entry.name), depth + 1);
        else if (entry.isFile()) out.push(join(rel, entry.name));
      }
    };
    await walk(this.root, '', 0);
    return out.sort();
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
