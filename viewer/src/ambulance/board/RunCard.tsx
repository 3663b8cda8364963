import { vitalAlarms } from '@telemed/signaling/protocol';
import { memo, useState } from 'react';
import type { SignalingClient } from '../../api/signaling.js';
import { formatTime, useI18n } from '../../i18n/index.js';
import { alarmLabel, categoryLabel, eventLabel, patientLine } from '../shared/labels.js';
import { latestVitals, type RunLive } from './boardModel.js';
import { Ecg12Dialog } from './Ecg12Dialog.js';
import { EcgStrip } from './EcgStrip.js';
import type { Eta } from './eta.js';
import { formatEtaMinutes } from './eta.js';
import { RunActions } from './RunActions.js';
import { RunVideo } from './RunVideo.js';
import { VitalsGrid } from './VitalsGrid.js';

export const STALE_MS = 10_000;

interface Props {
  live: RunLive;
  /** RunLive is mutated in place; its version tells memo when to re-render. */
  version: number;
  eta: Eta;
  /** Whole seconds, so the stale counter ticks. */
  nowS: number;
  signaling: SignalingClient;
  /** This card's video is the one open on the board (one at a time). */
  videoOpen: boolean;
  /** Stable across renders (memo): opens this run's video, or closes it if it is open. */
  onToggleVideo(runId: string): void;
}

export const RunCard = memo(function RunCard({
  live,
  eta,
  nowS,
  signaling,
  videoOpen,
  onToggleVideo,
}: Props) {
  const { t } = useI18n();
  const { run } = live;
  const [lead, setLead] = useState<string | null>(null);
  const [detail, setDetail] = useState(false);
  const vitals = latestVitals(live);
  const alarms = vitals ? vitalAlarms(vitals) : [];
  const staleS = live.vitalsAt === null ? null : Math.floor(nowS - live.vitalsAt / 1000);
  const stale = staleS !== null && staleS * 1000 > STALE_MS;
  const leads = live.ecg.leads;
  const shownLead = lead && leads.includes(lead) ? lead : leads.includes('II') ? 'II' : leads[0];
  const minutes = formatEtaMinutes(eta.seconds);

  return (
    <article
      className={alarms.length ? 'amb-card amb-card-alarm' : 'amb-card'}
      data-testid={`ambulance-card-${run.id}`}
      data-callsign={run.callsign}
      data-stale={stale ? 'true' : 'false'}
      data-seq-vitals={live.seq.vitals}
      data-vitals-count={live.vitals.length}
      data-seq-position={live.seq.position}
      data-seq-event={live.seq.event}
      aria-labelledby={`amb-title-${run.id}`}
    >
      <header className="amb-card-head">
        <div className="amb-card-id">
          <h2 id={`amb-title-${run.id}`} className="amb-callsign">
            {run.callsign}
          </h2>
          <span className={`amb-cat amb-cat-${run.patient.category}`}>
            {categoryLabel(run.patient.category)}
          </span>
        </div>
        <div className="amb-eta" data-testid={`ambulance-eta-${run.id}`} data-eta-s={eta.seconds ?? ''}>
          <span className="amb-eta-label">{t('ambulance.eta')}</span>
          <span className="amb-eta-value">
            {minutes === null ? t('ambulance.etaUnknown') : t('ambulance.etaMinutes', { n: minutes })}
          </span>
          {eta.at !== null && (
            <span className="amb-eta-clock">{t('ambulance.arrivalAt', { time: formatTime(eta.at) })}</span>
          )}
        </div>
      </header>
      <p className="amb-patient">
        <span>{patientLine(run.patient)}</span>
        <span className="amb-complaint">{run.patient.complaint}</span>
      </p>
      {alarms.length > 0 && (
        <div
          className="amb-alarm-banner"
          role="alert"
          data-testid={`ambulance-alarm-${run.id}`}
          data-alarms={alarms.map((a) => a.kind).join(',')}
        >
          <span aria-hidden="true">⚠ </span>
          {t('ambulance.alarmBanner', {
            list: alarms
              .map(
                (a) =>
                  `${alarmLabel(a.kind)} ${Math.round(a.value)}${t('ambulance.alarmLimit', { limit: a.limit })}`,
              )
              .join('；'),
          })}
        </div>
      )}
      {stale && (
        <div className="amb-stale" data-testid={`ambulance-stale-${run.id}`} title={t('ambulance.staleHint')}>
          <span aria-hidden="true">⏸ </span>
          {t('ambulance.stale', { s: staleS })}
        </div>
      )}
      <button
        type="button"
        className={videoOpen ? 'btn amb-video-toggle amb-video-toggle-on' : 'btn amb-video-toggle'}
        data-testid={`ambulance-video-toggle-${run.id}`}
        aria-pressed={videoOpen}
        aria-controls={`ambulance-video-${run.id}`}
        onClick={() => onToggleVideo(run.id)}
      >
        <span aria-hidden="true">{videoOpen ? '■ ' : '▶ '}</span>
        {videoOpen ? t('ambulance.videoHide') : t('ambulance.videoShow')}
      </button>
      {videoOpen && <RunVideo run={run} signaling={signaling} />}
      {vitals ? (
        <VitalsGrid
          runId={run.id}
          vitals={vitals}
          nibpAt={live.nibp && live.nibp.t !== vitals.t ? live.nibp.t : undefined}
        />
      ) : (
        <p className="amb-muted">{t('ambulance.noVitals')}</p>
      )}
      <div className="amb-ecg">
        {shownLead ? (
          <>
            <EcgStrip ring={live.ecg} lead={shownLead} testId={`ambulance-ecg-${run.id}`} />
            <div className="amb-ecg-tools">
              <label>
                {t('ambulance.ecgLead')}{' '}
                <select
                  value={shownLead}
                  data-testid={`ambulance-lead-${run.id}`}
                  onChange={(e) => setLead(e.target.value)}
                >
                  {leads.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="btn"
                data-testid={`ambulance-ecg12-${run.id}`}
                onClick={() => setDetail(true)}
              >
                {t('ambulance.ecg12')}
              </button>
            </div>
          </>
        ) : (
          <p className="amb-muted">{t('ambulance.ecgNone')}</p>
        )}
      </div>
      {live.events.length > 0 && (
        <ul className="amb-events" aria-label={t('ambulance.recentEvents')}>
          {live.events.slice(-3).map((e) => (
            <li key={e.seq}>
              <time>{formatTime(e.t)}</time> <b>{eventLabel(e.kind)}</b> {e.text}
            </li>
          ))}
        </ul>
      )}
      <RunActions run={run} />
      {detail && <Ecg12Dialog ring={live.ecg} callsign={run.callsign} onClose={() => setDetail(false)} />}
    </article>
  );
});
