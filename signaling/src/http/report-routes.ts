// A referral's report over HTTP: draft (PUT, refused with 409 once signed), sign, addenda, PDF export.
import { Router } from 'express';
import { AddendumRequestSchema, ReportDraftSchema } from '../protocol/index.js';
import type { ReportService } from '../reports/report-service.js';
import { parseOrThrow } from '../validation.js';
import { currentUser } from './authenticate.js';

export function reportRoutes(deps: { reports: ReportService }): Router {
  const router = Router();

  router.get('/referrals/:id/report', (_req, res) => {
    const { report } = deps.reports.get(currentUser(res), _req.params.id);
    res.json({ report });
  });

  router.put('/referrals/:id/report', (req, res) => {
    const draft = parseOrThrow(ReportDraftSchema, req.body, 'report');
    res.json({ report: deps.reports.saveDraft(currentUser(res), req.params.id, draft) });
  });

  router.post('/referrals/:id/report/sign', async (req, res) => {
    res.json({ report: await deps.reports.sign(currentUser(res), req.params.id) });
  });

  router.post('/referrals/:id/report/addenda', async (req, res) => {
    const { text } = parseOrThrow(AddendumRequestSchema, req.body, 'addendum');
    res.status(201).json({ report: await deps.reports.addAddendum(currentUser(res), req.params.id, text) });
  });

  router.get('/referrals/:id/report/pdf', async (req, res) => {
    const { bytes, fileName } = await deps.reports.pdf(currentUser(res), req.params.id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.send(bytes);
  });

  return router;
}
