import { useEffect, useState } from 'react';

/** devicePixelRatio × pinch-zoom scale: changes on browser zoom, moving to another screen, pinching. */
function read(): number {
  return (globalThis.devicePixelRatio || 1) * (globalThis.visualViewport?.scale ?? 1);
}

export function useDeviceScale(): number {
  const [scale, setScale] = useState(read);
  useEffect(() => {
    const update = () => setScale(read());
    // A resolution query matching the current ratio fires `change` when the ratio changes (browser
    // zoom, other monitor); it is then re-armed for the new ratio.
    let query: MediaQueryList | null = null;
    const arm = () => {
      query?.removeEventListener('change', onRatio);
      query = globalThis.matchMedia?.(`(resolution: ${globalThis.devicePixelRatio || 1}dppx)`) ?? null;
      query?.addEventListener('change', onRatio);
    };
    function onRatio() {
      update();
      arm();
    }
    arm();
    window.addEventListener('resize', update);
    window.visualViewport?.addEventListener('resize', update);
    return () => {
      query?.removeEventListener('change', onRatio);
      window.removeEventListener('resize', update);
      window.visualViewport?.removeEventListener('resize', update);
    };
  }, []);
  return scale;
}
