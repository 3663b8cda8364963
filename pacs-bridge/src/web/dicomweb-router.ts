// The DICOMweb router (mounted at /dicomweb): STOW-RS, QIDO-RS, WADO-RS. Authentication happens
// before these routes (see service.ts); every handler reads the principal from the request.
import { Router } from 'express';
import type { WebContext } from './context.js';
import { framesHandler } from './frames.js';
import { handler } from './http.js';
import { qidoHandler } from './qido.js';
import { stowHandler } from './stow.js';
import { bulkdataHandler, metadataHandler, retrieveHandler } from './wado.js';

export function createDicomWebRouter(ctx: WebContext): Router {
  const r = Router();
  const instance = '/studies/:study/series/:series/instances/:instance';
  r.post('/studies', handler(stowHandler(ctx)));
  r.post('/studies/:study', handler(stowHandler(ctx)));

  r.get('/studies', handler(qidoHandler(ctx, 'study')));
  r.get('/series', handler(qidoHandler(ctx, 'series')));
  r.get('/instances', handler(qidoHandler(ctx, 'instance')));
  r.get('/studies/:study/series', handler(qidoHandler(ctx, 'series')));
  r.get('/studies/:study/instances', handler(qidoHandler(ctx, 'instance')));
  r.get('/studies/:study/series/:series/instances', handler(qidoHandler(ctx, 'instance')));

  r.get('/studies/:study/metadata', handler(metadataHandler(ctx)));
  r.get('/studies/:study/series/:series/metadata', handler(metadataHandler(ctx)));
  r.get(`${instance}/metadata`, handler(metadataHandler(ctx)));
  r.get(`${instance}/frames/:frames`, handler(framesHandler(ctx)));
  r.get(`${instance}/bulkdata/:tag`, handler(bulkdataHandler(ctx)));

  r.get('/studies/:study', handler(retrieveHandler(ctx)));
  r.get('/studies/:study/series/:series', handler(retrieveHandler(ctx)));
  r.get(instance, handler(retrieveHandler(ctx)));
  return r;
}
