// A streaming multipart/related reader (RFC 2387 / PS3.18 8.6.1.2) for STOW-RS: it reads the request as
// it arrives and hands over one complete part at a time, so memory is bounded by the largest single
// instance, not by the whole study. Parts beyond `maxPartBytes` fail fast with a reason.
import type { Readable } from 'node:stream';

export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

export class MultipartError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
    this.name = 'MultipartError';
  }
}

export interface MultipartLimits {
  maxPartBytes: number;
  maxParts: number;
  maxHeaderBytes?: number;
}

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export async function* readMultipart(
  stream: Readable | AsyncIterable<Buffer>,
  boundary: string,
  limits: MultipartLimits,
): AsyncGenerator<Part> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const maxHeader = limits.maxHeaderBytes ?? 16 * 1024;
  // The body starts with CRLF-less "--boundary"; prefixing CRLF lets one delimiter search cover it.
  let pending: Buffer = Buffer.from('\r\n');
  type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  let headers: Record<string, string> = {};
  let chunks: Buffer[] = [];
  let bodyBytes = 0;
  let parts = 0;

  const takeBody = (upTo: number): void => {
    if (upTo <= 0) return;
    bodyBytes += upTo;
    if (bodyBytes > limits.maxPartBytes) {
      throw new MultipartError(`a part is larger than the ${limits.maxPartBytes}-byte limit`, 413);
    }
    chunks.push(pending.subarray(0, upTo));
    pending = pending.subarray(upTo);
  };

  const step = function* (): Generator<Part> {
    for (;;) {
      if (state === 'preamble') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          if (pending.length > maxHeader)
            throw new MultipartError('no multipart boundary found at the start of the body');
          return;
        }
        pending = pending.subarray(at + delimiter.length);
        state = 'after-delimiter';
      } else if (state === 'after-delimiter') {
        if (pending.length < 2) return;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = 'done';
          return;
        }
        // Transport padding (spaces/tabs) may follow the boundary before the CRLF.
        const eol = pending.indexOf('\r\n');
        if (eol < 0) {
          if (pending.length > 256) throw new MultipartError('malformed multipart boundary line');
          return;
        }
        pending = pending.subarray(eol + 2);
        state = 'headers';
      } else if (state === 'headers') {
        const end = pending.indexOf('\r\n\r\n');
        const emptyHeaders = pending.length >= 2 && pending[0] === 0x0d && pending[1] === 0x0a;
        if (end < 0 && !emptyHeaders) {
          if (pending.length > maxHeader) throw new MultipartError('part headers are too long');
          return;
        }
        const headerEnd = emptyHeaders ? 0 : end;
        headers = parseHeaders(pending.subarray(0, headerEnd).toString('latin1'));
        pending = pending.subarray(emptyHeaders ? 2 : end + 4);
        if (++parts > limits.maxParts)
          throw new MultipartError(`more than ${limits.maxParts} parts in one request`, 413);
        chunks = [];
        bodyBytes = 0;
        state = 'body';
      } else if (state === 'body') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          // Keep a tail that could be the start of a delimiter split across chunks.
          takeBody(pending.length - (delimiter.length - 1));
          return;
        }
        takeBody(at);
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        chunks = [];
        pending = pending.subarray(delimiter.length);
        state = 'after-delimiter';
        yield { headers, body };
      } else {
        return;
      }
    }
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (state === 'done') continue; // epilogue: ignored, but drained so the connection can be reused
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    yield* step();
  }
  if (state === 'after-delimiter') yield* step();
  if (state !== 'done') {
    throw new MultipartError(
      state === 'preamble'
        ? 'the body contains no multipart boundary'
        : 'the body ended before the closing multipart boundary',
    );
  }
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}
