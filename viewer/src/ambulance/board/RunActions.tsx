import { RECEIVING_TEAMS, type AmbulanceRun, type ReceivingTeam } from '@telemed/signaling/protocol';
import { useState } from 'react';
import { navigate } from '../../app/navigation.js';
import { roomPath } from '../../app/routes.js';
import { useI18n } from '../../i18n/index.js';
import { ambulanceApi, handoverPath } from '../shared/api.js';
import { prenotifiedLabel, teamLabel } from '../shared/labels.js';

/** Pre-notification (one click per team), the consult with the crew, and the arrival. */
export function RunActions({ run }: { run: AmbulanceRun }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmArrive, setConfirmArrive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = run.id;

  const act = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(t('ambulance.actionFailed', { reason: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(null);
    }
  };
  const alerted = (team: ReceivingTeam) => run.prenotifications.find((p) => p.team === team);

  return (
    <div className="amb-actions">
      <div className="amb-prenotify" role="group" aria-label={t('ambulance.prenotifyLabel')}>
        {RECEIVING_TEAMS.map((team) => (
          <button
            key={team}
            type="button"
            className={alerted(team) ? 'btn amb-team amb-team-done' : 'btn amb-team'}
            data-testid={`ambulance-prenotify-${team}-${id}`}
            aria-pressed={alerted(team) ? true : false}
            disabled={busy !== null}
            onClick={() =>
              void act(`prenotify-${team}`, async () => {
                await ambulanceApi.prenotify(id, team);
              })
            }
          >
            {alerted(team) && <span aria-hidden="true">✓ </span>}
            {teamLabel(team)}
          </button>
        ))}
      </div>
      {run.prenotifications.length > 0 && (
        <ul className="amb-prenotified" data-testid={`ambulance-prenotified-${id}`}>
          {run.prenotifications.map((p) => (
            <li key={`${p.team}-${p.at}`}>{prenotifiedLabel(p)}</li>
          ))}
        </ul>
      )}
      <div className="amb-main-actions">
        <button
          type="button"
          className="btn"
          data-testid={`ambulance-consult-${id}`}
          disabled={busy !== null}
          onClick={() =>
            void act('consult', async () => {
              const { roomId } = await ambulanceApi.consult(id);
              navigate(roomPath(roomId));
            })
          }
        >
          {busy === 'consult' ? t('ambulance.openingConsult') : t('ambulance.openConsult')}
        </button>
        {confirmArrive ? (
          <>
            <button
              type="button"
              className="btn btn-primary"
              data-testid={`ambulance-arrive-confirm-${id}`}
              disabled={busy !== null}
              onClick={() =>
                void act('arrive', async () => {
                  await ambulanceApi.arrive(id);
                  navigate(handoverPath(id));
                })
              }
            >
              {t('ambulance.arriveConfirm')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => setConfirmArrive(false)}>
              {t('ambulance.cancel')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            data-testid={`ambulance-arrive-${id}`}
            disabled={busy !== null}
            onClick={() => setConfirmArrive(true)}
          >
            {t('ambulance.arrive')}
          </button>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
