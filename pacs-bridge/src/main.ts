#!/usr/bin/env node
// The bridge on its own: express on PACS_PORT (default 8090), the DIMSE SCP on PACS_DIMSE_PORT
// (default 11112, AE PACS_AE_TITLE or TELEMED), data under TELEMED_DATA_DIR. HTTP callers present the
// same access token signaling issues (HS256, TELEMED_JWT_SECRET, claims {sub, role, inst, name}).
// PACS_ORTHANC_URL (+ PACS_ORTHANC_USER/PASSWORD) puts an Orthanc behind the bridge.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { jwtVerify } from 'jose';
import type { Principal, Role } from './api.js';
import { createPacsBridge } from './service.js';
import { createOrthancStore } from './upstream/orthanc.js';

// The same development secret signaling uses (signaling/src/config.ts), so tokens work across both.
const DEV_SECRET = 'telemed-development-secret-do-not-use-in-production';
const ROLES: readonly Role[] = ['specialist', 'clinician', 'ambulance', 'admin'];

const secret = process.env.TELEMED_JWT_SECRET ?? DEV_SECRET;
if (process.env.NODE_ENV === 'production' && secret === DEV_SECRET) {
  console.error('refusing to start in production with the development JWT secret (set TELEMED_JWT_SECRET)');
  process.exit(1);
}
const key = new TextEncoder().encode(secret);

async function authenticate(req: express.Request): Promise<Principal | null> {
  const header = req.get('authorization') ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  if (!token || token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: 'telemed',
      audience: 'telemed',
    });
    const role = payload.role as Role;
    if (typeof payload.sub !== 'string' || !ROLES.includes(role) || typeof payload.inst !== 'string')
      return null;
    return { userId: payload.sub, role, institutionId: payload.inst, via: 'http' };
  } catch {
    return null;
  }
}

const dataDir = process.env.TELEMED_DATA_DIR ?? './var';
// PACS_ORTHANC_URL: keep the hospital's Orthanc as the source of truth instead of the embedded store.
const upstream = process.env.PACS_ORTHANC_URL
  ? await createOrthancStore({
      url: process.env.PACS_ORTHANC_URL,
      indexPath: join(dataDir, 'orthanc-index.sqlite'),
      ...(process.env.PACS_ORTHANC_USER ? { username: process.env.PACS_ORTHANC_USER } : {}),
      ...(process.env.PACS_ORTHANC_PASSWORD ? { password: process.env.PACS_ORTHANC_PASSWORD } : {}),
    })
  : undefined;
mkdirSync(dataDir, { recursive: true });
const bridge = await createPacsBridge({
  dataDir,
  authenticate,
  ...(upstream ? { upstream } : {}),
  dimse: {
    host: process.env.PACS_DIMSE_HOST ?? '0.0.0.0',
    port: Number(process.env.PACS_DIMSE_PORT ?? 11112),
    aeTitle: process.env.PACS_AE_TITLE ?? 'TELEMED',
  },
  logger: {
    info: (o, m) => process.stdout.write(`${m ?? ''} ${JSON.stringify(o)}\n`),
    warn: (o, m) => console.warn(m ?? '', JSON.stringify(o)),
    error: (o, m) => console.error(m ?? '', JSON.stringify(o)),
  },
});
const app = express();
app.set('trust proxy', process.env.TRUST_PROXY === '1');
app.get('/healthz', (_req, res) => void res.send('ok'));
app.use(bridge.router);
const port = Number(process.env.PACS_PORT ?? 8090);
const server = app.listen(port, process.env.HOST ?? '0.0.0.0', () => {
  process.stdout.write(
    `pacs-bridge: DICOMweb on http://localhost:${port}/dicomweb, DIMSE AE ${bridge.dimse?.aeTitle} on port ${bridge.dimse?.port}\n`,
  );
});
const stop = (): void => {
  server.close();
  void bridge.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
