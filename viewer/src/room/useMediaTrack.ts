import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * Attaches a track to a `<video>` or `<audio>` element and starts playback. Returns whether the
 * browser blocked playback (autoplay policy for audible media): the caller offers a button.
 */
export function useMediaTrack<E extends HTMLMediaElement>(
  track: MediaStreamTrack | null,
): { ref: RefObject<E | null>; blocked: boolean; retry(): void } {
  const ref = useRef<E | null>(null);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = track ? new MediaStream([track]) : null;
    if (!track) return;
    el.play().then(
      () => setBlocked(false),
      (err: unknown) => {
        if ((err as Error).name === 'NotAllowedError') setBlocked(true);
      },
    );
    return () => {
      el.srcObject = null;
    };
  }, [track]);

  const retry = () => {
    ref.current?.play().then(
      () => setBlocked(false),
      () => undefined,
    );
  };
  return { ref, blocked, retry };
}

/** Reports an element's size whenever it changes. */
export function useElementSize<E extends HTMLElement>(
  onSize: (size: { width: number; height: number }) => void,
) {
  const ref = useRef<E | null>(null);
  const callback = useRef(onSize);
  callback.current = onSize;
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) callback.current({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return ref;
}
