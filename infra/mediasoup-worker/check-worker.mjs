// Proves a mediasoup-worker binary runs here: it starts, answers its channel, reports the
// version mediasoup expects, and can open a router and a WebRTC transport on loopback.
// Usage: node check-worker.mjs <worker binary>   (exit 0 = usable)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const bin = process.argv[2];
if (!bin) {
  console.error('usage: check-worker.mjs <mediasoup-worker binary>');
  process.exit(2);
}
process.env.MEDIASOUP_WORKER_BIN = bin;
const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const require = createRequire(join(root, 'package.json'));
const mediasoup = require('mediasoup');

const timer = setTimeout(() => {
  console.error('check-worker: timed out');
  process.exit(1);
}, 20_000);

try {
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({
    mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
  });
  const transport = await router.createWebRtcTransport({
    listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }],
  });
  await transport.close();
  worker.close();
  clearTimeout(timer);
  console.log(`check-worker: ${bin} works (mediasoup ${mediasoup.version})`);
  process.exit(0);
} catch (err) {
  console.error(`check-worker: ${bin} failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
