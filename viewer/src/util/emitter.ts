/**
 * A typed, DOM-free event emitter: the browser has EventTarget, but its events are untyped and
 * node's EventEmitter is not in the browser bundle.
 */
export type EventMap = Record<string, unknown[]>;

type Listener = (...args: unknown[]) => void;

export class Emitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<Listener>>();

  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(fn as unknown as Listener);
    return () => this.off(event, fn);
  }

  off<K extends keyof E>(event: K, fn: (...args: E[K]) => void): void {
    this.listeners.get(event)?.delete(fn as unknown as Listener);
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    // A copy: listeners may unsubscribe while being called.
    for (const fn of [...set]) {
      try {
        fn(...args);
      } catch (err) {
        console.error(`listener for ${String(event)} failed`, err);
      }
    }
  }

  removeAllListeners(): void {
    this.listeners.clear();
  }
}
