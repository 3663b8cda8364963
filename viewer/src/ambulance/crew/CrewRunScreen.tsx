import { useEffect, useState, useSyncExternalStore } from 'react';
import type { AmbulanceRun, EventSample } from '@telemed/signaling/protocol';
import { ApiError } from '../../api/errors.js';
import type { SignalingClient } from '../../api/signaling.js';
import { navigate } from '../../app/navigation.js';
import { describeError } from '../../i18n/errors.js';
import { useI18n } from '../../i18n/index.js';
import { categoryLabel, eventLabel, patientLine } from '../shared/labels.js';
import { CancelRun } from './CancelRun.js';
import { CrewVideo } from './CrewVideo.js';
import { CrewTelemetry, type QueueStatus } from './crewTelemetry.js';
import { crewApi, crewHomePath } from './crewApi.js';
import { EventPad } from './EventPad.js';
import { QueueBadge } from './QueueBadge.js';
import { VitalsForm } from './VitalsForm.js';
import './messages.js';

const RECENT = 5;
const NO_STATUS = () => () => undefined;

/** One run in the ambulance: video into its consult room, events and vitals through the outbox. */
export function CrewRunScreen({ runId, signaling }: { runId: string; signaling: SignalingClient }) {
  const { t } = useI18n();
  const [run, setRun] = useState<AmbulanceRun | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [telemetry, setTelemetry] = useState<CrewTelemetry | null>(null);
  const [recent, setRecent] = useState<EventSample[]>([]);

  useEffect(() => {
    let cancelled = false;
    crewApi.run(runId).then(
      (r) => !cancelled && setRun(r),
      (err: unknown) => !cancelled && setError(describeError(ApiError.from(err), t('crew.loading'))),
    );
    return () => {
      cancelled = true;
    };
  }, [runId, t]);

  // The outbox opens even before the run answers: what an earlier page left unsent goes out first.
  useEffect(() => {
    let closed = false;
    let opened: CrewTelemetry | null = null;
    CrewTelemetry.open(runId).then(
      (tm) => {
        if (closed) return void tm.close();
        opened = tm;
        setTelemetry(tm);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      closed = true;
      void opened?.close();
    };
  }, [runId]);

  // A journal empty for this run (cleared storage, another tablet) numbers on after what the server
  // holds, not from 1: the run as read says where each stream stands.
  useEffect(() => {
    if (run && telemetry) void telemetry.seed(run.acked);
  }, [run, telemetry]);

  const status = useSyncExternalStore<QueueStatus | null>(
    telemetry ? (fn) => telemetry.on('change', fn) : NO_STATUS,
    () => telemetry?.status ?? null,
  );

  const recordEvent = async (kind: EventSample['kind'], text: string) => {
    if (!telemetry) return;
    const sample = await telemetry.recordEvent(kind, text);
    setRecent((r) => [sample, ...r].slice(0, RECENT));
  };

  if (error && !run) {
    return (
      <main className="crew" data-testid="crew-run" data-state="error">
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="button" className="btn crew-big" onClick={() => navigate(crewHomePath())}>
          {t('crew.backToRuns')}
        </button>
      </main>
    );
  }
  if (!run) return <main className="crew" data-testid="crew-run" data-state="loading" />;

  return (
    <main className="crew crew-run" data-testid="crew-run" data-state="ready" data-run-id={run.id}>
      <header className="crew-head">
        <div>
          <h1 className="crew-title">
            {t('crew.toDestination', { callsign: run.callsign, destination: run.destination.name })}
          </h1>
          <p className="muted small">
            {categoryLabel(run.patient.category)} · {patientLine(run.patient)}
          </p>
        </div>
        <QueueBadge status={status} />
      </header>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="crew-body">
        <CrewVideo roomId={run.roomId} signaling={signaling} />
        <div className="crew-side">
          <EventPad onRecord={recordEvent} />
          <VitalsForm onRecord={async (v) => void (await telemetry?.recordVitals(v))} />
          {recent.length > 0 && (
            <section className="card crew-card" data-testid="crew-recent">
              <h2>{t('crew.recent')}</h2>
              <ol className="crew-recent">
                {recent.map((e) => (
                  <li key={e.seq} data-testid="crew-recent-event">
                    <span className="muted small">{new Date(e.t).toLocaleTimeString()}</span>{' '}
                    <strong>{eventLabel(e.kind)}</strong> {e.text}
                  </li>
                ))}
              </ol>
            </section>
          )}
          {run.status === 'enroute' && (
            <div className="crew-end">
              <CancelRun runId={run.id} onCancelled={() => navigate(crewHomePath())} />
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
