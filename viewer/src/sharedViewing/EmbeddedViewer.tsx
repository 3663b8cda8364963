// The image viewer inside the consult room, loaded on demand (Cornerstone is a large chunk), handing
// its controller to shared viewing as soon as the viewer has one.
import { lazy, Suspense, useEffect, useMemo, type MutableRefObject } from 'react';
import type { ViewerController } from '../imaging/controller.js';
import { useI18n } from '../i18n/index.js';
import type { SharedViewingSession } from './SharedViewingSession.js';
import './messages.js';

const ImageViewer = lazy(() => import('../imaging/ImageViewer.js').then((m) => ({ default: m.ImageViewer })));

/**
 * A ref whose assignments are announced: the viewer sets it when its controller exists. Clearing is
 * not passed on — the viewer's effect clean-up clears the ref right after a controller is set (when
 * its `controller` state changes from null) — so detaching is left to this component's unmount.
 */
function announcingRef(onChange: (c: ViewerController) => void): MutableRefObject<ViewerController | null> {
  let current: ViewerController | null = null;
  return {
    get current() {
      return current;
    },
    set current(value) {
      if (value === null || value === current) return;
      current = value;
      onChange(value);
    },
  };
}

export function EmbeddedViewer({ studyUid, session }: { studyUid: string; session: SharedViewingSession }) {
  const { t } = useI18n();
  const ref = useMemo(() => announcingRef((c) => session.attachController(studyUid, c)), [studyUid, session]);
  useEffect(() => () => session.attachController(studyUid, null), [studyUid, session]);
  return (
    <Suspense fallback={<p className="muted">{t('viewing.loadingViewer')}</p>}>
      <ImageViewer key={studyUid} studyUid={studyUid} controllerRef={ref} />
    </Suspense>
  );
}
