// Bearer-token authentication for `/api/*`: the verified user is kept in `res.locals.user`.
import type { RequestHandler, Response } from 'express';
import { ProtocolError, type UserInfo } from '../protocol/index.js';
import type { AuthService } from '../auth/auth-service.js';

export function requireUser(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ProtocolError('UNAUTHORIZED', 'Missing bearer token');
    const { user } = await auth.authenticate(match[1]);
    res.locals.user = user;
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

export function currentUser(res: Response): UserInfo {
  const user = res.locals.user as UserInfo | undefined;
  if (!user) throw new ProtocolError('UNAUTHORIZED', 'Not authenticated');
  return user;
}
