// POST /api/auth/login, /refresh, /logout: no bearer token needed (that is what they are for).
import { Router } from 'express';
import { LoginRequestSchema, RefreshRequestSchema } from '../protocol/index.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Logger } from '../logger.js';
import { parseOrThrow } from '../validation.js';

export function authRoutes(auth: AuthService, logger: Logger): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/login', async (req, res) => {
    const body = parseOrThrow(LoginRequestSchema, req.body, 'login request');
    try {
      const session = await auth.login(body.username, body.password, req.ip ?? 'unknown');
      logger.info({ userId: session.user.id }, 'login');
      res.json(session);
    } catch (err) {
      // The username is what was typed, not necessarily an account; the password is never logged.
      logger.warn({ ip: req.ip, code: (err as { code?: string }).code }, 'login refused');
      throw err;
    }
  });

  router.post('/refresh', async (req, res) => {
    const body = parseOrThrow(RefreshRequestSchema, req.body, 'refresh request');
    res.json(await auth.refresh(body.refreshToken));
  });

  router.post('/logout', (req, res) => {
    const body = parseOrThrow(RefreshRequestSchema, req.body, 'logout request');
    auth.logout(body.refreshToken);
    res.status(204).end();
  });

  return router;
}
