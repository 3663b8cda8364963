// Prometheus metrics of the ambulance side, registered on the platform's registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TelemetryStream } from '../protocol/index.js';

export interface AmbulanceMetrics {
  stored(stream: TelemetryStream, samples: number): void;
  /** Times one `telemetry:push` from receipt to the answer (store + fsync + notify). */
  pushTimer(): () => void;
}

export const noAmbulanceMetrics: AmbulanceMetrics = {
  stored: () => undefined,
  pushTimer: () => () => undefined,
};

export function ambulanceMetrics(register: Registry, enroute: () => number): AmbulanceMetrics {
  const registers = [register];
  const samples = new Counter({
    name: 'telemed_telemetry_samples_stored_total',
    help: 'Telemetry samples stored (each seq once), per stream',
    labelNames: ['stream'] as const,
    registers,
  });
  const push = new Histogram({
    name: 'telemed_telemetry_push_seconds',
    help: 'Handling time of one telemetry:push (validation excluded; durable commit included)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  new Gauge({
    name: 'telemed_ambulance_runs_enroute',
    help: 'Ambulance runs en route',
    registers,
    collect() {
      this.set(enroute());
    },
  });
  return {
    stored: (stream, n) => samples.inc({ stream }, n),
    pushTimer: () => push.startTimer(),
  };
}
