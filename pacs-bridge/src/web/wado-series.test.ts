// WADO-RS of a whole series: instances opened ahead of the one being written come out whole and in
// order, and a client that goes away mid-series leaves no open file behind.
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUid, syntheticImage } from './synthetic-image.js';
import { auth, getBytes, parseMultipart, startTestBridge, stow, type TestBridge } from './test-server.js';

const study = randomUid();
const series = randomUid();
// 12 instances of 2 MiB: more than socket buffers hold, so the server meets backpressure.
const files = Array.from({ length: 12 }, (_, i) =>
  syntheticImage(4, '1.2.840.10008.1.2.1', { study, series, instanceNumber: i + 1 }),
);
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('WADO-RS series retrieve', () => {
  let t: TestBridge;
  let url: string;
  beforeAll(async () => {
    t = await startTestBridge();
    expect(
      (
        await stow(
          t.url,
          'nurse-zhao',
          files.map((bytes) => ({ bytes })),
        )
      ).status,
    ).toBe(200);
    url = `${t.url}/dicomweb/studies/${study}/series/${series}`;
  });
  afterAll(async () => t.close());

  it('sends every instance whole, byte for byte, in instance order', async () => {
    const { status, body, contentType } = await getBytes(url, 'nurse-zhao');
    expect(status).toBe(200);
    const parts = parseMultipart(body, contentType);
    expect(parts.length).toBe(files.length);
    parts.forEach((p, i) => expect(p.body.equals(files[i]!), `instance ${i + 1}`).toBe(true));
  });

  it('releases the files it opened ahead when the client goes away mid-series', async () => {
    // Watch every stream the retrieve opens: each must end up destroyed, not left to the GC.
    const opened: Readable[] = [];
    const store = t.bridge.store;
    const open = store.open.bind(store);
    store.open = async (uid) => {
      const stream = await open(uid);
      if (stream) opened.push(stream);
      return stream;
    };
    const before = openFds();
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { headers: auth('nurse-zhao') }, (res) => {
        res.once('data', () => {
          // Stop reading, let the server fill the socket and wait on 'drain', then hang up.
          res.pause();
          setImmediate(() => {
            req.destroy();
            resolve();
          });
        });
      });
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });
    // The server notices the closed socket asynchronously; wait for it to let go of every file.
    while (opened.some((s) => !s.destroyed) || openFds() > before)
      await new Promise((r) => setTimeout(r, 10));
    store.open = open;
    expect(opened.length).toBeLessThan(files.length); // it stopped early, and cleaned up
    expect((await getBytes(url, 'nurse-zhao')).status).toBe(200);
  });
});
