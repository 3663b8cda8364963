// Live counts of what a mediasoup worker carries, kept from mediasoup's observer events (so objects
// created by anyone — rooms, peers, plain ingest — are counted), and the worker's resident memory.
import { readFile } from 'node:fs/promises';
import type { types } from 'mediasoup';

export interface LoadCounters {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
}

export function trackLoad(worker: types.Worker): LoadCounters {
  const c: LoadCounters = { routers: 0, transports: 0, producers: 0, consumers: 0 };
  worker.observer.on('newrouter', (router) => {
    c.routers++;
    router.observer.once('close', () => c.routers--);
    router.observer.on('newtransport', (transport) => {
      c.transports++;
      transport.observer.once('close', () => c.transports--);
      transport.observer.on('newproducer', (producer) => {
        c.producers++;
        producer.observer.once('close', () => c.producers--);
      });
      transport.observer.on('newconsumer', (consumer) => {
        c.consumers++;
        consumer.observer.once('close', () => c.consumers--);
      });
    });
  });
  return c;
}

/** Current resident memory (VmRSS) of a process in bytes, or undefined where /proc is not available. */
export async function readRssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
