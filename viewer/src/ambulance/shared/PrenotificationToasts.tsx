import type { Notifications } from '@telemed/signaling/protocol';
import { useEffect, useState } from 'react';
import type { SignalingClient } from '../../api/signaling.js';
import { useI18n } from '../../i18n/index.js';
import { teamLabel } from './labels.js';
import './messages.js';
import '../ambulance.css';

type Toast = Notifications['prenotification'] & { key: number };
const SHOW_MS = 60_000;

/**
 * "Ambulance 120-12: Dr Wang called the stroke team" on any page, for every connected user of the
 * receiving hospital (the server sends `prenotification` to them only). Stays a minute or until dismissed.
 */
export function PrenotificationToasts({ signaling }: { signaling: SignalingClient }) {
  const { t } = useI18n();
  const [toasts, setToasts] = useState<Toast[]>([]);

  useEffect(() => {
    let key = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = signaling.on('prenotification', (n) => {
      const toast = { ...n, key: ++key };
      setToasts((list) => [...list.slice(-4), toast]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setToasts((list) => list.filter((x) => x !== toast));
      }, SHOW_MS);
      timers.add(timer);
    });
    return () => {
      off();
      timers.forEach(clearTimeout);
    };
  }, [signaling]);

  if (toasts.length === 0) return null;
  return (
    <div className="amb-toasts" aria-live="assertive">
      {toasts.map((toast) => (
        <div
          key={toast.key}
          className="amb-toast"
          role="alert"
          data-testid="ambulance-prenotification-toast"
          data-run-id={toast.runId}
          data-team={toast.prenotification.team}
        >
          <b className="amb-toast-tag">{t('ambulance.toastTag')}</b>
          <span>
            {t('ambulance.toast', {
              callsign: toast.callsign,
              name: toast.prenotification.byName,
              team: teamLabel(toast.prenotification.team),
            })}
          </span>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setToasts((list) => list.filter((x) => x !== toast))}
          >
            {t('ambulance.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
