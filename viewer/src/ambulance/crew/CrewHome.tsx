import { useEffect, useState } from 'react';
import type { AmbulanceRun } from '@telemed/signaling/protocol';
import { navigate } from '../../app/navigation.js';
import { ApiError } from '../../api/errors.js';
import { describeError } from '../../i18n/errors.js';
import { useI18n } from '../../i18n/index.js';
import { categoryLabel } from '../shared/labels.js';
import { crewApi, crewRunPath } from './crewApi.js';
import { StartRunForm } from './StartRunForm.js';
import './messages.js';

/** Continue a run en route, or start a new one. */
export function CrewHome() {
  const { t } = useI18n();
  const [runs, setRuns] = useState<AmbulanceRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    crewApi.enroute().then(
      ({ runs }) => !cancelled && setRuns(runs),
      (err: unknown) => !cancelled && setError(describeError(ApiError.from(err), t('crew.loading'))),
    );
    return () => {
      cancelled = true;
    };
  }, [t]);

  return (
    <main className="crew" data-testid="crew-home">
      <h1 className="crew-title">{t('crew.title')}</h1>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <section className="card crew-card">
        <h2>{t('crew.activeRuns')}</h2>
        {runs === null ? (
          <p className="muted">{t('crew.loading')}</p>
        ) : runs.length === 0 ? (
          <p className="muted">{t('crew.noActiveRuns')}</p>
        ) : (
          <ul className="crew-runs">
            {runs.map((run) => (
              <li key={run.id}>
                <span>
                  <strong>
                    {t('crew.toDestination', { callsign: run.callsign, destination: run.destination.name })}
                  </strong>
                  <span className="muted small"> · {categoryLabel(run.patient.category)}</span>
                </span>
                <button
                  type="button"
                  className="btn btn-primary crew-big"
                  data-testid={`crew-continue-${run.id}`}
                  onClick={() => navigate(crewRunPath(run.id))}
                >
                  {t('crew.continueRun')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <StartRunForm onStarted={(run) => navigate(crewRunPath(run.id))} />
    </main>
  );
}
