// Autosave for the report draft: each change is saved after a short pause, one save at a time, the
// latest content last. `flush()` saves now (before signing) and resolves when the server has it.
import { useCallback, useEffect, useRef, useState } from 'react';

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

export function useAutosave<T>(save: (value: T) => Promise<void>, delayMs = 700) {
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<T | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const saveRef = useRef(save);
  saveRef.current = save;

  const run = useCallback(async (): Promise<void> => {
    if (running.current) await running.current;
    const value = pending.current;
    if (value === null) return;
    pending.current = null;
    setState('saving');
    const attempt = saveRef
      .current(value)
      .then(() => {
        setError(null);
        setState(pending.current === null ? 'saved' : 'dirty');
      })
      .catch((err: unknown) => {
        setError(err instanceof Error ? err.message : String(err));
        setState('error');
        throw err;
      });
    running.current = attempt.catch(() => undefined).finally(() => (running.current = null));
    return attempt;
  }, []);

  const change = useCallback(
    (value: T) => {
      pending.current = value;
      setState('dirty');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void run().catch(() => undefined), delayMs);
    },
    [run, delayMs],
  );

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    if (running.current) await running.current;
    if (pending.current !== null) await run();
  }, [run]);

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return { state, error, change, flush };
}
