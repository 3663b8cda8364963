// Collects notifications (from a socket or a session sink) and lets a test await the next one
// matching a condition — no sleeps.
import type { NotificationEnvelope, NotificationMethod, Notifications } from '../protocol/index.js';

type Waiter = {
  method: NotificationMethod;
  match: (data: never) => boolean;
  resolve: (data: unknown) => void;
  reject: (e: Error) => void;
};

export class NotificationLog {
  readonly all: NotificationEnvelope[] = [];
  private waiters: Waiter[] = [];

  push = (envelope: NotificationEnvelope): void => {
    this.all.push(envelope);
    for (const w of [...this.waiters]) {
      if (w.method === envelope.method && w.match(envelope.data as never)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(envelope.data);
      }
    }
  };

  /** As a session's NotificationSink. */
  sink = <M extends NotificationMethod>(method: M, data: Notifications[M]): void => {
    this.push({ method, data } as NotificationEnvelope);
  };

  of<M extends NotificationMethod>(method: M): Notifications[M][] {
    return this.all.filter((n) => n.method === method).map((n) => n.data as Notifications[M]);
  }

  methods(): NotificationMethod[] {
    return this.all.map((n) => n.method);
  }

  clear(): void {
    this.all.length = 0;
  }

  /** The first already-received or future notification of that method that matches. */
  next<M extends NotificationMethod>(
    method: M,
    match: (data: Notifications[M]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Notifications[M]> {
    const seen = this.all.find((n) => n.method === method && match(n.data as Notifications[M]));
    if (seen) return Promise.resolve(seen.data as Notifications[M]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        method,
        match: match as (d: never) => boolean,
        resolve: resolve as (d: unknown) => void,
        reject,
      };
      this.waiters.push(waiter);
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(`no ${method} notification within ${timeoutMs} ms; got: ${this.methods().join(', ')}`),
        );
      }, timeoutMs).unref();
    });
  }
}
