// The resumable chunked upload of one file (pacs-bridge/src/web/uploads.ts): create a session with the
// file's sha256, PUT each part (retried with back-off; a part is idempotent), complete. DOM-free: the
// transport is injected (XHR in the browser for upload progress, fetch in tests).

export type FileOutcome =
  | { status: 'stored' | 'duplicate'; studyUid?: string; sopInstanceUid?: string }
  | { status: 'refused'; httpStatus: number; reason: string };

export interface Transport {
  /** JSON request with the bearer token; resolves with status and parsed body (never throws on 4xx). */
  json(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** PUT of one part; `onProgress(bytesSentOfThisPart)`. Rejects on network errors, resolves with the status. */
  putPart(
    path: string,
    data: Blob,
    onProgress: (sent: number) => void,
  ): Promise<{ status: number; body: unknown }>;
}

export interface UploadOptions {
  retries?: number;
  /** Back-off before retry n (1-based), ms. */
  backoff?: (attempt: number) => number;
  /** Waits between retries; injectable so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (sentBytes: number) => void;
  sha256?: (data: Blob) => Promise<string | undefined>;
  signal?: AbortSignal;
}

function reasonOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const b = body as { reason?: unknown; error?: { message?: unknown } };
    if (typeof b.reason === 'string') return b.reason;
    if (typeof b.error?.message === 'string') return b.error.message;
  }
  return fallback;
}

export class UploadError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const retryable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

export async function uploadFile(
  transport: Transport,
  file: { name: string; size: number; data: Blob },
  options: UploadOptions = {},
): Promise<FileOutcome> {
  const retries = options.retries ?? 4;
  const backoff = options.backoff ?? ((n: number) => Math.min(8000, 500 * 2 ** (n - 1)));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const sha256 = options.sha256 ? await options.sha256(file.data) : undefined;

  const created = await transport.json('POST', '/api/uploads', {
    name: file.name.slice(-255),
    size: file.size,
    ...(sha256 ? { sha256 } : {}),
  });
  if (created.status !== 201) {
    return {
      status: 'refused',
      httpStatus: created.status,
      reason: reasonOf(created.body, `HTTP ${created.status}`),
    };
  }
  const { id, partBytes, parts } = created.body as { id: string; partBytes: number; parts: number };

  let done = 0;
  for (let n = 1; n <= parts; n++) {
    const start = (n - 1) * partBytes;
    const blob = file.data.slice(start, Math.min(file.size, start + partBytes));
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw new UploadError(0, 'aborted');
      let status = 0;
      let body: unknown = null;
      try {
        ({ status, body } = await transport.putPart(`/api/uploads/${id}/parts/${n}`, blob, (sent) =>
          options.onProgress?.(done + sent),
        ));
      } catch {
        status = 0; // network error: retry
      }
      if (status >= 200 && status < 300) break;
      if (!retryable(status) || attempt >= retries)
        throw new UploadError(
          status,
          `part ${n}: ${reasonOf(body, status ? `HTTP ${status}` : 'network error')}`,
        );
      options.onProgress?.(done);
      await sleep(backoff(attempt + 1));
    }
    done += blob.size;
    options.onProgress?.(done);
  }

  for (let attempt = 0; ; attempt++) {
    let res: { status: number; body: unknown };
    try {
      res = await transport.json('POST', `/api/uploads/${id}/complete`);
    } catch {
      res = { status: 0, body: null };
    }
    if (res.status === 200) {
      const body = res.body as {
        state?: string;
        result?: { studyInstanceUid?: string; sopInstanceUid?: string };
      };
      return {
        status: body.state === 'duplicate' ? 'duplicate' : 'stored',
        ...(body.result?.studyInstanceUid ? { studyUid: body.result.studyInstanceUid } : {}),
        ...(body.result?.sopInstanceUid ? { sopInstanceUid: body.result.sopInstanceUid } : {}),
      };
    }
    if (!retryable(res.status) || attempt >= retries)
      return { status: 'refused', httpStatus: res.status, reason: reasonOf(res.body, `HTTP ${res.status}`) };
    await sleep(backoff(attempt + 1));
  }
}

/** Runs `tasks` with at most `limit` in flight; resolves when all have settled. */
export async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
}

export async function sha256Hex(data: Blob): Promise<string | undefined> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return undefined; // not a secure context
  const digest = await crypto.subtle.digest('SHA-256', await data.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
