import { useCallback, useEffect, useState } from 'react';
import type { SignalingClient } from '../../api/signaling.js';
import { useI18n } from '../../i18n/index.js';
import '../shared/messages.js';
import '../ambulance.css';
import type { RunLive } from './boardModel.js';
import { runEta, type Eta } from './eta.js';
import { RunCard } from './RunCard.js';
import { useBoard } from './useBoard.js';

function useNowSeconds(): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const etaOf = (live: RunLive, now: number): Eta => {
  const positions = live.positions.length
    ? live.positions
    : live.run.latest.position
      ? [live.run.latest.position]
      : [];
  return runEta(positions, live.run.destination.location, now);
};

/** The hospital's arrival board: a card per ambulance bound for it, soonest arrival first. */
export function BoardPage({ signaling }: { signaling: SignalingClient }) {
  const { t } = useI18n();
  const { model, status, error, fills } = useBoard(signaling);
  // The model changes in place; a counter makes React take a new snapshot on each change.
  const [, setTick] = useState(0);
  useEffect(() => model.subscribe(() => setTick((n) => n + 1)), [model]);
  const nowS = useNowSeconds();
  const now = nowS * 1000;
  const etas = new Map([...model.runs.values()].map((l) => [l.run.id, etaOf(l, now)]));
  const runs = model.sorted((l) => etas.get(l.run.id)?.seconds ?? null);
  // One run's video at a time: opening another closes the first (its RunVideo unmounts and leaves).
  const [videoRunId, setVideoRunId] = useState<string | null>(null);
  const toggleVideo = useCallback((id: string) => setVideoRunId((open) => (open === id ? null : id)), []);
  const videoRunShown = videoRunId !== null && model.runs.has(videoRunId);
  // A run that leaves the board (arrived, cancelled) takes its video with it, and it stays closed.
  useEffect(() => {
    if (videoRunId !== null && !videoRunShown) setVideoRunId(null);
  }, [videoRunId, videoRunShown]);

  return (
    <main
      className="amb-board"
      data-testid="ambulance-board"
      data-status={status}
      data-runs={runs.length}
      data-history-pages={fills}
    >
      <div className="amb-board-bar">
        <div>
          <h1>{t('ambulance.boardTitle')}</h1>
          <p className="amb-muted">{t('ambulance.boardSubtitle')}</p>
        </div>
        <span className={`amb-conn amb-conn-${status}`} data-testid="ambulance-board-status" role="status">
          {status === 'live'
            ? t('ambulance.statusLive')
            : status === 'offline'
              ? t('ambulance.statusOffline')
              : status === 'error'
                ? t('ambulance.statusError', { reason: error ?? '' })
                : t('ambulance.statusConnecting')}
        </span>
      </div>
      {runs.length === 0 && status === 'live' && <p className="amb-empty">{t('ambulance.empty')}</p>}
      <div className="amb-cards">
        {runs.map((live) => (
          <RunCard
            key={live.run.id}
            live={live}
            version={live.version}
            eta={etas.get(live.run.id)!}
            nowS={nowS}
            signaling={signaling}
            videoOpen={live.run.id === videoRunId}
            onToggleVideo={toggleVideo}
          />
        ))}
      </div>
    </main>
  );
}
