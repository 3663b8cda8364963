// Referrals over HTTP: create, list (my referrals / worklist), read with its report, status actions.
import { Router } from 'express';
import {
  CreateReferralRequestSchema,
  ReferralActionRequestSchema,
  ReferralActionSchema,
  ReferralQuerySchema,
  type ReferralDetailResponse,
  type ReferralsResponse,
} from '../protocol/index.js';
import { publicReferral } from '../referrals/referrals-repository.js';
import type { ReferralService } from '../referrals/referral-service.js';
import type { ReportService } from '../reports/report-service.js';
import { parseOrThrow } from '../validation.js';
import { currentUser } from './authenticate.js';

export function referralRoutes(deps: { service: ReferralService; reports: ReportService }): Router {
  const router = Router();

  router.get('/referrals', (req, res) => {
    const query = parseOrThrow(ReferralQuerySchema, req.query, 'referral query');
    const body: ReferralsResponse = {
      referrals: deps.service.list(currentUser(res), query).map(publicReferral),
    };
    res.json(body);
  });

  router.post('/referrals', async (req, res) => {
    const body = parseOrThrow(CreateReferralRequestSchema, req.body, 'referral');
    const record = await deps.service.create(currentUser(res), body);
    res.status(201).json(publicReferral(record));
  });

  router.get('/referrals/:id', (req, res) => {
    const { referral, report } = deps.reports.get(currentUser(res), req.params.id);
    const body: ReferralDetailResponse = { referral: publicReferral(referral), report };
    res.json(body);
  });

  router.post('/referrals/:id/:action', (req, res, next) => {
    const action = ReferralActionSchema.safeParse(req.params.action);
    if (!action.success) return next();
    const { reason } = parseOrThrow(ReferralActionRequestSchema, req.body ?? {}, 'request');
    const record = deps.service.act(currentUser(res), req.params.id, action.data, reason);
    res.json(publicReferral(record));
  });

  return router;
}
