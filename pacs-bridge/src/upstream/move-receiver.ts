// Retrieval by C-MOVE: we ask the PACS to move an instance to our own AE, and the PACS connects
// back to our C-STORE SCP to deliver it. The SCP hands such deliveries (calling AE = the PACS)
// here instead of to ingest, and the retrieve that asked for the instance gets its bytes.
import type { MoveTarget } from '../dimse/scp.js';

interface Waiter {
  resolve(part10: Buffer): void;
  timer: NodeJS.Timeout;
}

export class MoveReceiver implements MoveTarget {
  private readonly waiters = new Map<string, Waiter[]>();

  /** `callingAe`: the PACS's AE title as it appears when it connects back to us. */
  constructor(readonly callingAe: string) {}

  /** Resolves with the instance when it arrives, or null after `timeoutMs`. Register before moving. */
  expect(sopInstanceUid: string, timeoutMs = 60_000): { arrived: Promise<Buffer | null>; cancel(): void } {
    let waiter!: Waiter;
    let settle!: (value: Buffer | null) => void;
    const arrived = new Promise<Buffer | null>((resolve) => {
      settle = resolve;
      waiter = {
        resolve: (bytes) => resolve(bytes),
        timer: setTimeout(() => this.drop(sopInstanceUid, waiter, () => resolve(null)), timeoutMs),
      };
    });
    const list = this.waiters.get(sopInstanceUid) ?? [];
    list.push(waiter);
    this.waiters.set(sopInstanceUid, list);
    return { arrived, cancel: () => this.drop(sopInstanceUid, waiter, () => settle(null)) };
  }

  receive(part10: Buffer, sopInstanceUid: string): boolean {
    const list = this.waiters.get(sopInstanceUid);
    if (!list?.length) return false;
    this.waiters.delete(sopInstanceUid);
    for (const w of list) {
      clearTimeout(w.timer);
      w.resolve(part10);
    }
    return true;
  }

  private drop(sopInstanceUid: string, waiter: Waiter, then: () => void): void {
    clearTimeout(waiter.timer);
    const list = (this.waiters.get(sopInstanceUid) ?? []).filter((w) => w !== waiter);
    if (list.length) this.waiters.set(sopInstanceUid, list);
    else this.waiters.delete(sopInstanceUid);
    then();
  }
}
