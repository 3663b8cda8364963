// Prometheus metrics: live rooms and seats from this node, media counts and per-worker load from the
// SFU, and Node's default process metrics. One registry per platform, so tests can start several.
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Sfu, WorkerLoad } from '@telemed/sfu';
import type { RoomRegistry } from './live/room-registry.js';

/** One `sfu.loads()` per scrape, however many gauges read it. */
function sharedLoads(sfu: Sfu, maxAgeMs = 500): () => Promise<WorkerLoad[]> {
  let cached: { at: number; loads: Promise<WorkerLoad[]> } | null = null;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > maxAgeMs) {
      cached = { at: now, loads: sfu.loads().catch(() => []) };
    }
    return cached.loads;
  };
}

export function createMetrics(rooms: RoomRegistry, sfu: Sfu): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register });
  const loads = sharedLoads(sfu);
  const registers = [register];

  new Gauge({
    name: 'telemed_rooms',
    help: 'Live consult rooms on this node',
    registers,
    collect() {
      this.set(rooms.stats().rooms);
    },
  });
  new Gauge({
    name: 'telemed_peers',
    help: 'Seats in live rooms on this node (including reconnecting)',
    registers,
    collect() {
      this.set(rooms.stats().peers);
    },
  });
  new Gauge({
    name: 'telemed_producers',
    help: 'mediasoup producers across workers',
    registers,
    async collect() {
      this.set((await loads()).reduce((n, l) => n + l.producers, 0));
    },
  });
  new Gauge({
    name: 'telemed_consumers',
    help: 'mediasoup consumers across workers',
    registers,
    async collect() {
      this.set((await loads()).reduce((n, l) => n + l.consumers, 0));
    },
  });
  // Gauges fed from the workers' own counters (prom-client counters cannot be set from outside).
  new Gauge({
    name: 'telemed_worker_cpu_seconds_total',
    help: 'CPU seconds (user+system) used by each mediasoup worker',
    labelNames: ['pid', 'index'] as const,
    registers,
    async collect() {
      this.reset();
      (await loads()).forEach((l, i) => this.set({ pid: String(l.pid), index: String(i) }, l.cpuSeconds));
    },
  });
  new Gauge({
    name: 'telemed_worker_memory_bytes',
    help: 'Resident memory of each mediasoup worker',
    labelNames: ['pid', 'index'] as const,
    registers,
    async collect() {
      this.reset();
      (await loads()).forEach((l, i) => this.set({ pid: String(l.pid), index: String(i) }, l.memoryBytes));
    },
  });
  new Gauge({
    name: 'telemed_worker_routers',
    help: 'Routers (rooms) on each mediasoup worker',
    labelNames: ['pid', 'index'] as const,
    registers,
    async collect() {
      this.reset();
      (await loads()).forEach((l, i) => this.set({ pid: String(l.pid), index: String(i) }, l.routers));
    },
  });
  return register;
}
