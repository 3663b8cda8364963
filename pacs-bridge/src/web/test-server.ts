// Test support: a real HTTP server (port 0) around createPacsBridge with fixed principals chosen by
// bearer token, plus small DICOMweb client helpers (multipart build/parse) shared by the web tests.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { Principal } from '../api.js';
import { createPacsBridge, type PacsBridge, type PacsBridgeOptions } from '../service.js';

export const PRINCIPALS: Record<string, Principal> = {
  'nurse-zhao': { userId: 'nurse-zhao', role: 'clinician', institutionId: 'township-clinic', via: 'http' },
  'amb-sun': { userId: 'amb-sun', role: 'ambulance', institutionId: 'township-clinic', via: 'http' },
  'dr-other': { userId: 'dr-other', role: 'clinician', institutionId: 'other-clinic', via: 'http' },
  'dr-wang': { userId: 'dr-wang', role: 'specialist', institutionId: 'county-hospital', via: 'http' },
  'dr-chen': { userId: 'dr-chen', role: 'specialist', institutionId: 'county-hospital', via: 'http' },
  admin: { userId: 'admin', role: 'admin', institutionId: 'county-hospital', via: 'http' },
};

export interface TestBridge {
  url: string;
  dataDir: string;
  bridge: PacsBridge;
  close(): Promise<void>;
}

export async function startTestBridge(extra: Partial<PacsBridgeOptions> = {}): Promise<TestBridge> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pacs-bridge-test-'));
  const bridge = await createPacsBridge({
    dataDir,
    authenticate: async (req) => {
      const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
      return token ? (PRINCIPALS[token] ?? null) : null;
    },
    ...extra,
  });
  const app = express();
  app.use(bridge.router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    bridge,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bridge.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const auth = (user: string): Record<string, string> => ({ authorization: `Bearer ${user}` });

export function multipartBody(
  parts: Array<{ bytes: Uint8Array; type?: string }>,
  boundary = 'test-boundary-1234',
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${p.type ?? 'application/dicom'}\r\n\r\n`));
    chunks.push(Buffer.from(p.bytes));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
  };
}

export async function stow(
  url: string,
  user: string,
  parts: Array<{ bytes: Uint8Array; type?: string }>,
  path = '/dicomweb/studies',
) {
  const { body, contentType } = multipartBody(parts);
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { ...auth(user), 'content-type': contentType },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: Record<string, { Value?: Array<Record<string, { Value?: unknown[] }>> }> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** Splits a multipart/related response body into its parts (headers + bytes). */
export function parseMultipart(
  body: Buffer,
  contentType: string,
): Array<{ headers: Record<string, string>; body: Buffer }> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delim = Buffer.from(`--${boundary}`);
  const out: Array<{ headers: Record<string, string>; body: Buffer }> = [];
  let at = body.indexOf(delim);
  while (at >= 0) {
    const start = at + delim.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd);
    const headers: Record<string, string> = {};
    for (const line of body
      .subarray(start + 2, headerEnd)
      .toString('latin1')
      .split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    out.push({ headers, body: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
  return out;
}

export async function getBytes(url: string, user: string, accept?: string) {
  const res = await fetch(url, {
    headers: { ...auth(user), ...(accept ? { accept } : {}) },
    signal: AbortSignal.timeout(30_000),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

export async function getJson<T = Array<Record<string, { vr: string; Value?: unknown[] }>>>(
  url: string,
  user: string,
) {
  const res = await fetch(url, { headers: auth(user), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}
