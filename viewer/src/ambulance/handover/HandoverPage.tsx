import type { Handover } from '@telemed/signaling/protocol';
import { useEffect, useState } from 'react';
import { linkHandler } from '../../app/navigation.js';
import { ecgPath } from '../../app/routes.js';
import { formatDateTime, useI18n } from '../../i18n/index.js';
import { ambulanceApi, boardPath } from '../shared/api.js';
import {
  alarmLabel,
  categoryLabel,
  eventLabel,
  formatClock,
  patientLine,
  prenotifiedLabel,
} from '../shared/labels.js';
import '../shared/messages.js';
import '../ambulance.css';
import './handover.css';
import { VitalsCharts } from './VitalsChart.js';
import { VitalsTable } from './VitalsTable.js';

type State = { name: 'loading' } | { name: 'ready'; handover: Handover } | { name: 'error'; message: string };

/** The handover summary saved at arrival: printable, the ECG snapshots open in the ECG viewer. */
export function HandoverPage({ runId }: { runId: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ name: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    ambulanceApi.handover(runId, abort.signal).then(
      (handover) => setState({ name: 'ready', handover }),
      (err: unknown) => {
        if (!abort.signal.aborted)
          setState({ name: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => abort.abort();
  }, [runId]);

  return (
    <main className="amb-handover" data-testid="handover-page" data-state={state.name}>
      <div className="amb-board-bar amb-noprint">
        <a
          className="btn btn-quiet"
          href={boardPath()}
          onClick={linkHandler(boardPath())}
          data-testid="handover-back"
        >
          ← {t('ambulance.backToBoard')}
        </a>
        {state.name === 'ready' && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="handover-print"
            onClick={() => window.print()}
          >
            {t('ambulance.print')}
          </button>
        )}
      </div>
      {state.name === 'loading' && <p className="amb-muted">{t('ambulance.handoverLoading')}</p>}
      {state.name === 'error' && (
        <p className="form-error" role="alert" data-testid="handover-error">
          {t('ambulance.handoverError', { reason: state.message })}
        </p>
      )}
      {state.name === 'ready' && <HandoverBody h={state.handover} />}
    </main>
  );
}

function HandoverBody({ h }: { h: Handover }) {
  const { t } = useI18n();
  const minutes = Math.round((Date.parse(h.arrivedAt) - Date.parse(h.createdAt)) / 60_000);
  return (
    <>
      <h1>
        {t('ambulance.handoverTitle')} · {h.callsign}{' '}
        <span className={`amb-cat amb-cat-${h.patient.category}`}>{categoryLabel(h.patient.category)}</span>
      </h1>
      <section className="amb-section amb-facts">
        <dl>
          <dt>{t('ambulance.patient')}</dt>
          <dd data-testid="handover-patient">{patientLine(h.patient)}</dd>
          <dt>{t('ambulance.complaint')}</dt>
          <dd>{h.patient.complaint}</dd>
          <dt>{t('ambulance.destination')}</dt>
          <dd>{h.destination.name}</dd>
          <dt>{t('ambulance.dispatchedAt')}</dt>
          <dd data-testid="handover-dispatched">{formatDateTime(h.createdAt)}</dd>
          <dt>{t('ambulance.arrivedAt')}</dt>
          <dd data-testid="handover-arrived">{formatDateTime(h.arrivedAt)}</dd>
          <dt>{t('ambulance.duration')}</dt>
          <dd>{t('ambulance.minutes', { n: minutes })}</dd>
          <dt>{t('ambulance.distance')}</dt>
          <dd>{t('ambulance.km', { n: (h.route.distanceM / 1000).toFixed(1) })}</dd>
        </dl>
        <p className="amb-muted">{t('ambulance.counts', { ...h.counts })}</p>
      </section>
      <section className="amb-section">
        <h2>{t('ambulance.prenotifications')}</h2>
        {h.prenotifications.length === 0 ? (
          <p className="amb-muted">{t('ambulance.noPrenotifications')}</p>
        ) : (
          <ul data-testid="handover-prenotifications">
            {h.prenotifications.map((p) => (
              <li key={`${p.team}-${p.at}`}>{prenotifiedLabel(p)}</li>
            ))}
          </ul>
        )}
      </section>
      <section className="amb-section">
        <h2>{t('ambulance.alarms')}</h2>
        {h.alarms.length === 0 ? (
          <p className="amb-muted">{t('ambulance.noAlarms')}</p>
        ) : (
          <ul className="amb-alarm-list" data-testid="handover-alarms">
            {h.alarms.map((a) => (
              <li key={`${a.kind}-${a.startT}`} data-alarm={a.kind}>
                <span aria-hidden="true">⚠ </span>
                <b>{alarmLabel(a.kind)}</b> {formatClock(a.startT)} –{' '}
                {a.endT === null ? t('ambulance.alarmOngoing') : formatClock(a.endT)} ·{' '}
                {t('ambulance.alarmWorst')} {Math.round(a.worst)}{' '}
                {t('ambulance.alarmLimit', { limit: a.limit })}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="amb-section">
        <h2>{t('ambulance.ecgSnapshots')}</h2>
        {h.ecg.snapshots.length === 0 ? (
          <p className="amb-muted" data-testid="handover-ecg-unavailable">
            {h.ecg.unavailable ?? t('ambulance.noSnapshots')}
          </p>
        ) : (
          <ul className="amb-snapshots">
            {h.ecg.snapshots.map((s) => (
              <li key={s.sopInstanceUid}>
                <a
                  className="btn"
                  href={ecgPath(s.sopInstanceUid)}
                  onClick={linkHandler(ecgPath(s.sopInstanceUid))}
                  data-testid="handover-ecg-snapshot"
                  data-sop={s.sopInstanceUid}
                  data-reason={s.reason}
                >
                  {s.reason === 'start'
                    ? t('ambulance.snapshotStart')
                    : s.reason === 'end'
                      ? t('ambulance.snapshotEnd')
                      : t('ambulance.snapshotAlarm', { alarm: s.alarm ? alarmLabel(s.alarm) : '' })}{' '}
                  · {formatClock(s.t)} · {s.durationS} s
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="amb-section">
        <h2>{t('ambulance.vitalsTimeline')}</h2>
        <VitalsCharts vitals={h.vitals} />
        <VitalsTable vitals={h.vitals} />
      </section>
      <section className="amb-section">
        <h2>{t('ambulance.events')}</h2>
        {h.events.length === 0 ? (
          <p className="amb-muted">{t('ambulance.noEvents')}</p>
        ) : (
          <ul className="amb-events" data-testid="handover-events">
            {h.events.map((e) => (
              <li key={e.seq}>
                <time>{formatClock(e.t)}</time> <b>{eventLabel(e.kind)}</b> {e.text}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
