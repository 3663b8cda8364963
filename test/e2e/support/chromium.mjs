// Debian's chromium as tests and benchmarks run it: off the (closed) network, with a fake camera and mic.
// Plain JS so the benchmarks (run by Node without a TypeScript step) share it with the e2e tests.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // mediasoup announces 127.0.0.1 in tests: let WebRTC use loopback candidates.
  '--allow-loopback-in-peer-connection',
  // Background tabs must keep decoding and rendering: several "users" share one browser.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];
