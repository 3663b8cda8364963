// Where dcmjs-dimse writes an incoming C-STORE dataset: we keep the raw PDV bytes (no parsing) and
// stop keeping them past a size limit, so one huge or hostile send cannot exhaust memory; the
// request is then answered with "out of resources" instead.
import { Writable } from 'node:stream';

export class DatasetCollector extends Writable {
  private chunks: Buffer[] = [];
  size = 0;
  overflow = false;

  constructor(private readonly maxBytes: number) {
    // A high water mark above one PDU keeps dcmjs-dimse from waiting on 'drain' between PDVs.
    super({ highWaterMark: 16 * 1024 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.overflow = true;
      this.chunks = [];
    } else {
      this.chunks.push(chunk);
    }
    done();
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
