// Serves the built browser app and answers `index.html` for the app's own routes (`/`,
// `/rooms/<id>`, …) so a reload or a shared link works. API, socket, health, metrics and anything
// that looks like a file are never answered with the app.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { ProtocolError } from '../protocol/index.js';

const NOT_THE_APP = /^\/(api|dicomweb|socket\.io|healthz|readyz|metrics)(\/|$)/;

/**
 * `viewer/dist` next to this package, found by walking up from this file to the signaling package
 * root: the same answer from `src/http/` (tests, vitest) and `dist/http/` (the built server).
 */
export function defaultViewerDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === '@telemed/signaling') {
          return path.resolve(dir, '..', 'viewer', 'dist');
        }
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(process.cwd(), 'viewer', 'dist');
    dir = parent;
  }
}

export function viewerRoutes(viewerDir: string): Router {
  const router = Router();
  const indexHtml = path.join(viewerDir, 'index.html');
  // Hashed asset names may be cached for long; index.html must not be, or users keep an old app.
  router.use(
    express.static(viewerDir, {
      index: false,
      setHeaders(res, file) {
        res.setHeader(
          'Cache-Control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  router.get(/.*/, (req, res, next) => {
    const last = req.path.split('/').pop() ?? '';
    // A dot usually means a missing file, but DICOM UIDs are all dots: `/studies/1.2.840…` is the app.
    const looksLikeFile = /\.[a-z][a-z0-9]{0,7}$/i.test(last);
    if (NOT_THE_APP.test(req.path) || looksLikeFile) {
      next();
      return;
    }
    if (!fs.existsSync(indexHtml)) {
      throw new ProtocolError('NOT_FOUND', 'The browser app is not built (npm run build -w @telemed/viewer)');
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
