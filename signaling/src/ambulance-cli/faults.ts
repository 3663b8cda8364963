// Network faults for rehearsals and tests, injected between the sender and its socket: a share of
// pushes lost before the wire (no answer, so the sender's timeout and resend are exercised) and a
// delay on every request and answer. The outage window (socket down, reconnect refused) is driven
// by the simulator on the socket itself.
import type { TelemetryTransport } from '../ambulance-client/transport.js';

export interface FaultOptions {
  /** Percentage of telemetry pushes dropped before the wire. */
  lossPct: number;
  /** Added to each request on the way out and to each answer on the way back. */
  latencyMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function faultyTransport(
  inner: TelemetryTransport,
  faults: FaultOptions,
  random: () => number,
): TelemetryTransport {
  if (faults.lossPct <= 0 && faults.latencyMs <= 0) return inner;
  return {
    get connected() {
      return inner.connected;
    },
    async request(method, data, timeoutMs) {
      if (method === 'telemetry:push' && random() * 100 < faults.lossPct) {
        // Lost on the way: the sender hears nothing until its timeout.
        await sleep(timeoutMs);
        throw new Error('operation has timed out (simulated loss)');
      }
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const answer = await inner.request(method, data, timeoutMs);
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      return answer;
    },
    onConnect: (l) => inner.onConnect(l),
    onDisconnect: (l) => inner.onDisconnect(l),
  };
}
