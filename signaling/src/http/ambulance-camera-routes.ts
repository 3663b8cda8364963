// Vehicle cameras over HTTP (see protocol/ambulance-camera.ts): start one for a run, poll it (the
// sender's lease, and what the sender must do), ask for fresh endpoints, stop it.
import { Router } from 'express';
import { StartCameraSchema } from '../protocol/index.js';
import type { AmbulanceCameras } from '../ambulance/camera/index.js';
import { parseOrThrow } from '../validation.js';
import { currentUser } from './authenticate.js';

export function ambulanceCameraRoutes(cameras: AmbulanceCameras): Router {
  const router = Router();

  router.post('/ambulance/runs/:id/camera', async (req, res) => {
    const body = parseOrThrow(StartCameraSchema, req.body, 'camera request');
    res.status(201).json(await cameras.start(currentUser(res), req.params.id, body));
  });

  router.get('/ambulance/runs/:id/camera/:peerId', async (req, res) => {
    res.json(await cameras.get(currentUser(res), req.params.id, req.params.peerId));
  });

  // The sender's ffmpeg is stopped: make fresh endpoints (after awaiting-sender or stalled).
  router.post('/ambulance/runs/:id/camera/:peerId/endpoints', async (req, res) => {
    res.json(await cameras.renew(currentUser(res), req.params.id, req.params.peerId));
  });

  router.delete('/ambulance/runs/:id/camera/:peerId', async (req, res) => {
    await cameras.stop(currentUser(res), req.params.id, req.params.peerId);
    res.status(204).end();
  });

  return router;
}
