// GET /api/me and GET /api/users (the directory to pick invitees from).
import { Router } from 'express';
import type { MeResponse, UsersResponse } from '../protocol/index.js';
import type { AccountsRepository } from '../accounts/accounts-repository.js';
import { currentUser } from './authenticate.js';

export function directoryRoutes(accounts: AccountsRepository): Router {
  const router = Router();
  router.get('/me', (_req, res) => {
    const body: MeResponse = { user: currentUser(res) };
    res.json(body);
  });
  router.get('/users', (_req, res) => {
    const body: UsersResponse = { users: accounts.list() };
    res.json(body);
  });
  return router;
}
