// Ambulance runs over HTTP: create and read runs, the hospitals to choose from, telemetry history,
// prenotify a receiving team, join the run's consult, declare arrival and read the handover, cancel.
import { Router } from 'express';
import { z } from 'zod';
import {
  CancelRunSchema,
  CreateRunSchema,
  IdSchema,
  PrenotifySchema,
  RUN_STATUSES,
  TelemetryStreamSchema,
} from '../protocol/index.js';
import type { Ambulance } from '../ambulance/index.js';
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from '../ambulance/telemetry-service.js';
import { parseOrThrow } from '../validation.js';
import { currentUser } from './authenticate.js';

const ListQuerySchema = z.object({ status: z.enum(RUN_STATUSES).optional() }).strip();
const count = (max: number) => z.coerce.number().int().min(0).max(max);
const HistoryQuerySchema = z
  .object({
    after: count(Number.MAX_SAFE_INTEGER).default(0),
    limit: count(HISTORY_MAX_LIMIT).min(1).default(HISTORY_DEFAULT_LIMIT),
  })
  .strip();

export function ambulanceRoutes(ambulance: Ambulance): Router {
  const router = Router();
  const runId = (raw: string | undefined) => parseOrThrow(IdSchema, raw, 'run id');

  router.get('/ambulance/hospitals', (_req, res) => {
    res.json(ambulance.runs.hospitals());
  });

  router.post('/ambulance/runs', (req, res) => {
    const body = parseOrThrow(CreateRunSchema, req.body, 'run');
    res.status(201).json(ambulance.runs.create(currentUser(res), body));
  });

  router.get('/ambulance/runs', (req, res) => {
    const { status } = parseOrThrow(ListQuerySchema, req.query, 'query');
    res.json({ runs: ambulance.runs.list(currentUser(res), status) });
  });

  router.get('/ambulance/runs/:id', (req, res) => {
    res.json(ambulance.runs.get(currentUser(res), runId(req.params.id)));
  });

  router.get('/ambulance/runs/:id/telemetry/:stream', (req, res) => {
    const stream = parseOrThrow(TelemetryStreamSchema, req.params.stream, 'telemetry stream');
    const { after, limit } = parseOrThrow(HistoryQuerySchema, req.query, 'query');
    res.json(ambulance.telemetry.history(currentUser(res), runId(req.params.id), stream, after, limit));
  });

  router.post('/ambulance/runs/:id/prenotify', (req, res) => {
    const { team } = parseOrThrow(PrenotifySchema, req.body, 'prenotification');
    res.json(ambulance.runs.prenotify(currentUser(res), runId(req.params.id), team));
  });

  router.post('/ambulance/runs/:id/consult', (req, res) => {
    res.json(ambulance.runs.consult(currentUser(res), runId(req.params.id)));
  });

  router.post('/ambulance/runs/:id/arrive', async (req, res) => {
    res.json(await ambulance.arrivals.arrive(currentUser(res), runId(req.params.id)));
  });

  router.post('/ambulance/runs/:id/cancel', (req, res) => {
    const { reason } = parseOrThrow(CancelRunSchema, req.body ?? {}, 'cancellation');
    res.json(ambulance.runs.cancel(currentUser(res), runId(req.params.id), reason));
  });

  router.get('/ambulance/runs/:id/handover', (req, res) => {
    res.json(ambulance.arrivals.handover(currentUser(res), runId(req.params.id)));
  });

  return router;
}
