// Small HTTP helpers shared by the DICOMweb and upload routes. Errors are a plain status plus a short
// JSON body `{"reason": "..."}` — DICOMweb defines no error body, clients key off the status, and a
// person reading the network tab still learns why.
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Principal } from '../api.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendError(res: Response, status: number, reason: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).type('application/json').send(JSON.stringify({ reason }));
}

/** The authenticated principal put on the request by the auth middleware. */
export function principalOf(req: Request): Principal {
  const p = (req as Request & { principal?: Principal }).principal;
  if (!p) throw new HttpError(401, 'authentication required');
  return p;
}

export function setPrincipal(req: Request, principal: Principal): void {
  (req as Request & { principal?: Principal }).principal = principal;
}

/** The DICOMweb base URL as the client sees it, for RetrieveURL / BulkDataURI. */
export function baseUrlOf(req: Request, mountPath: string): string {
  const proto = req.protocol;
  const host = req.get('host') ?? 'localhost';
  return `${proto}://${host}${mountPath}`;
}

/** Wraps an async handler so rejections become responses instead of unhandled errors. */
export const handler =
  (fn: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response): void => {
    fn(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) sendError(res, err.status, err.message);
      else {
        (req.app?.locals?.logger as { error?: (o: object, m: string) => void } | undefined)?.error?.(
          { err: err instanceof Error ? err.name : 'unknown', path: req.path },
          'request failed',
        );
        sendError(res, 500, 'internal error');
      }
    });
  };

/** Splits a comma-separated Accept header into media ranges with parameters, best q first. */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const ranges: MediaRange[] = [];
  for (const raw of splitOutsideQuotes(header, ',')) {
    const [type, ...paramParts] = splitOutsideQuotes(raw, ';').map((s) => s.trim());
    if (!type) continue;
    const params: Record<string, string> = {};
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq > 0)
        params[p.slice(0, eq).trim().toLowerCase()] = p
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1');
    }
    const q = params.q !== undefined ? Number(params.q) : 1;
    delete params.q;
    ranges.push({ type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 1 });
  }
  return ranges.sort((a, b) => b.q - a.q);
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export const newBoundary = (): string => `telemed-${randomBytes(12).toString('hex')}`;
