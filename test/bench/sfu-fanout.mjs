// SFU fan-out: one ~1 Mbit/s VP8 producer (ffmpeg → PlainTransport) to N consumers on
// PlainTransports, each sinking to its own local UDP socket. N grows until the loss seen by the
// sinks exceeds 1 %; we report the largest N one worker carried, the worker's CPU per consumer,
// and the ratio to mediasoup's published ~500 consumers per worker.
// Run after `npm run build`:  node test/bench/sfu-fanout.mjs [--steps 50,100,200,...] [--seconds 5]
// Caveat: on a small machine the sinks (this Node process), ffmpeg and the worker share the cores,
// so the limit found is the machine's, an upper bound on what the worker costs is the CPU figure.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createPlainConsumer,
  createPlainProducer,
  createSfu,
  plainRtpParameters,
  resolveFfmpeg,
} from '@telemed/sfu';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '25,50,100,150,200,300,400,500,600,800,1000' },
    seconds: { type: 'string', default: '5' },
    bitrate: { type: 'string', default: '1M' },
  },
});
const steps = values.steps.split(',').map(Number);
const measureMs = Number(values.seconds) * 1000;
const PUBLISHED_PER_WORKER = 500;
const ffmpeg = resolveFfmpeg();
const work = mkdtempSync(join(tmpdir(), 'telemed-fanout-'));

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

// Encode once, then stream-copy in a loop: the measurement is not skewed by a live encoder's CPU.
const clip = join(work, 'source.webm');
await run(ffmpeg, [
  '-hide_banner',
  '-loglevel',
  'error',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=1280x720:rate=30',
  '-t',
  '20',
  '-c:v',
  'libvpx',
  '-b:v',
  values.bitrate,
  '-minrate',
  values.bitrate,
  '-maxrate',
  values.bitrate,
  '-deadline',
  'realtime',
  '-cpu-used',
  '8',
  '-g',
  '60',
  '-an',
  '-y',
  clip,
]);

const sfu = await createSfu({
  numWorkers: 1,
  logLevel: 'error',
  rtcMinPort: 46000,
  rtcMaxPort: 49999,
  listenIp: '127.0.0.1',
  announcedAddress: '127.0.0.1',
  maxIncomingBitrate: 5_000_000,
  initialAvailableOutgoingBitrate: 1_000_000,
});
const room = await sfu.roomMedia('fanout');
const SSRC = 22222222;
const PT = 101;
const producer = await createPlainProducer(room, {
  peerId: 'ambulance-camera',
  kind: 'video',
  source: 'camera',
  // ffmpeg sends RTCP from a second socket; with comedia on one muxed port the transport would lock
  // onto whichever socket spoke first and drop the other, so RTP and RTCP get a port each.
  rtcpMux: false,
  rtpParameters: plainRtpParameters({ mimeType: 'video/VP8', payloadType: PT, ssrc: SSRC }),
});
const sender = spawn(
  ffmpeg,
  [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    clip,
    '-map',
    '0:v',
    '-c:v',
    'copy',
    '-f',
    'rtp',
    '-payload_type',
    String(PT),
    '-ssrc',
    String(SSRC),
    `rtp://${producer.ip}:${producer.port}?rtcpport=${producer.rtcpPort}&pkt_size=1200`,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

/** One sink: counts packets and the span of (extended) sequence numbers it should have seen. */
function makeSink() {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
  const sink = { socket, received: 0, bytes: 0, base: -1, max: -1, cycles: 0, lastSeq: -1 };
  socket.on('message', (msg) => {
    const pt = msg[1] & 0x7f;
    if (msg.length < 12 || (pt >= 72 && pt <= 79)) return; // RTCP
    // Only the consumer's own stream (not, e.g., bandwidth probation packets).
    if (sink.ssrc === undefined || msg.readUInt32BE(8) !== sink.ssrc) return;
    const seq = msg.readUInt16BE(2);
    if (sink.lastSeq >= 0 && seq < sink.lastSeq && sink.lastSeq - seq > 32768) sink.cycles++;
    sink.lastSeq = seq;
    const ext = sink.cycles * 65536 + seq;
    if (sink.base < 0) sink.base = ext;
    if (ext > sink.max) sink.max = ext;
    sink.received++;
    sink.bytes += msg.length;
  });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(sink)));
}
const snapshot = (s) => ({
  received: s.received,
  bytes: s.bytes,
  expected: s.base < 0 ? 0 : s.max - s.base + 1,
});

const sinks = [];
const consumerPeer = room.createPeer('viewers');
async function addConsumers(n) {
  while (sinks.length < n) {
    const sink = await makeSink();
    const consumer = await createPlainConsumer(room, {
      peer: consumerPeer,
      producerId: producer.producerId,
      ip: '127.0.0.1',
      port: sink.socket.address().port,
    });
    sink.ssrc = consumer.ssrc;
    sinks.push(sink);
  }
}

async function workerCpuSeconds() {
  const [load] = await sfu.loads();
  return load.cpuSeconds;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Wait for the producer's stream to reach one consumer before measuring anything.
await addConsumers(1);
while (sinks[0].received === 0) await sleep(50);

const rows = [];
let best = null;
for (const n of steps) {
  await addConsumers(n);
  await sleep(1500); // let new consumers get their key frame and settle
  const before = sinks.map(snapshot);
  const cpu0 = await workerCpuSeconds();
  const t0 = performance.now();
  await sleep(measureMs);
  const after = sinks.map(snapshot);
  const cpu1 = await workerCpuSeconds();
  const wall = (performance.now() - t0) / 1000;
  let expected = 0;
  let received = 0;
  let bytes = 0;
  for (let i = 0; i < sinks.length; i++) {
    expected += after[i].expected - before[i].expected;
    received += after[i].received - before[i].received;
    bytes += after[i].bytes - before[i].bytes;
  }
  const loss = expected > 0 ? Math.max(0, 1 - received / expected) : 1;
  const cpuPct = ((cpu1 - cpu0) / wall) * 100;
  const row = {
    consumers: n,
    lossPct: +(loss * 100).toFixed(3),
    workerCpuPct: +cpuPct.toFixed(1),
    cpuPctPerConsumer: +(cpuPct / n).toFixed(4),
    outMbps: +((bytes * 8) / wall / 1e6).toFixed(1),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  if (loss > 0.01) break;
  best = row;
}

console.log('\nSFU fan-out, one worker, ~%s VP8 producer over loopback', values.bitrate);
console.table(rows);
if (best) {
  console.log(`largest N with loss ≤ 1 %: ${best.consumers} consumers per worker`);
  console.log(`worker CPU per consumer: ${best.cpuPctPerConsumer} % of one core`);
  console.log(
    `ratio to mediasoup's published ~${PUBLISHED_PER_WORKER}/worker: ${(best.consumers / PUBLISHED_PER_WORKER).toFixed(2)}`,
  );
} else {
  console.log('loss exceeded 1 % at the first step');
}

sender.kill('SIGTERM');
for (const s of sinks) s.socket.close();
await sfu.close();
rmSync(work, { recursive: true, force: true });
