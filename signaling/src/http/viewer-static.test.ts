// Which GETs the browser app answers: its own routes (including ones ending in a DICOM UID), real
// files as files, and nothing that belongs to the API or looks like a missing file.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/platform.js';
import { viewerRoutes } from './viewer-static.js';

describe('viewer routes', () => {
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    dir = await makeTempDir('telemed-viewer-');
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    await fs.writeFile(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    const app = express();
    app.use(viewerRoutes(dir));
    app.use((_req, res) => void res.status(404).send('not found'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fs.rm(dir, { recursive: true, force: true });
  });

  const get = async (p: string) => {
    const res = await fetch(base + p);
    return { status: res.status, body: await res.text(), cache: res.headers.get('cache-control') };
  };

  it('answers the app for its routes, a study URL ending in a UID included', async () => {
    for (const p of [
      '/',
      '/rooms/r-123',
      '/studies/1.2.840.113619.2.55.3.604688119',
      '/studies/1.3.6.1.4.1.9590/',
    ]) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.body).toContain('<title>app</title>');
      expect(res.cache).toBe('no-cache');
    }
  });

  it('serves real files, long-cached, and leaves missing files and API paths alone', async () => {
    const asset = await get('/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.cache).toContain('immutable');
    for (const p of ['/missing.js', '/favicon.ico', '/api/rooms', '/dicomweb/studies', '/metrics']) {
      expect((await get(p)).status, p).toBe(404);
    }
  });
});
