// GET /healthz (the process answers), /readyz (it can take calls: media workers and database up),
// /metrics (Prometheus).
import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Sfu } from '@telemed/sfu';
import type { Db } from '../db/database.js';

export function opsRoutes(deps: { sfu: Sfu; db: Db; metrics: Registry }): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', (_req, res) => {
    const reasons: string[] = [];
    if (!deps.sfu.ready) reasons.push('no media worker is running');
    if (!deps.db.open) reasons.push('database is closed');
    else {
      try {
        deps.db.prepare('SELECT 1').get();
      } catch {
        reasons.push('database does not answer');
      }
    }
    if (reasons.length > 0) res.status(503).json({ status: 'unavailable', reason: reasons.join('; ') });
    else res.json({ status: 'ready' });
  });

  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.contentType);
    res.send(await deps.metrics.metrics());
  });

  return router;
}
