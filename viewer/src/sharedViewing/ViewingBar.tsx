// Who presents, and the buttons that change it: present / stop, hand over to a participant, and for a
// follower detach / re-sync. Large touch targets: this is used on a tablet at the bedside.
import { useState } from 'react';
import type { PeerInfo } from '@telemed/signaling/protocol';
import { useI18n } from '../i18n/index.js';
import type { SharedViewingSession, ViewingView } from './SharedViewingSession.js';
import './messages.js';

export interface ViewingBarProps {
  session: SharedViewingSession;
  view: ViewingView;
  peers: PeerInfo[];
  disabled: boolean;
}

export function ViewingBar({ session, view, peers, disabled }: ViewingBarProps) {
  const { t } = useI18n();
  const [target, setTarget] = useState('');
  const presenter = peers.find((p) => p.peerId === view.presenterPeerId);
  const name = presenter?.displayName ?? t('viewing.someone');
  const status =
    view.mode === 'presenting'
      ? t('viewing.youPresent')
      : view.mode === 'following'
        ? t('viewing.following', { name })
        : view.mode === 'detached'
          ? t('viewing.detached', { name })
          : t('viewing.nobodyPresents');
  const connected = peers.filter((p) => p.status === 'connected');

  return (
    <div className="viewing-bar" data-testid="viewing-bar">
      <span
        className={`viewing-status viewing-${view.mode}`}
        data-testid="viewing-status"
        data-mode={view.mode}
        data-presenter={view.presenterPeerId ?? ''}
        role="status"
      >
        {status}
      </span>
      {view.mode === 'presenting' ? (
        <>
          <button
            type="button"
            className="btn"
            data-testid="viewing-stop"
            disabled={disabled}
            onClick={() => void session.stopPresenting()}
          >
            {t('viewing.stopPresenting')}
          </button>
          <select
            data-testid="viewing-handover"
            aria-label={t('viewing.handOver')}
            value={target}
            disabled={disabled || connected.length === 0}
            onChange={(e) => {
              const peerId = e.target.value;
              setTarget('');
              if (peerId) void session.handover(peerId);
            }}
          >
            <option value="">{t('viewing.handOverTo')}</option>
            {connected.map((p) => (
              <option key={p.peerId} value={p.peerId}>
                {p.displayName}
              </option>
            ))}
          </select>
        </>
      ) : (
        view.mode !== 'following' &&
        view.mode !== 'detached' && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="viewing-present"
            disabled={disabled || !view.studyUid}
            onClick={() => void session.present()}
          >
            {t('viewing.present')}
          </button>
        )
      )}
      {view.mode === 'following' && (
        <button type="button" className="btn" data-testid="viewing-detach" onClick={() => session.detach()}>
          {t('viewing.detach')}
        </button>
      )}
      {view.mode === 'detached' && (
        <button
          type="button"
          className="btn btn-primary"
          data-testid="viewing-resync"
          disabled={disabled}
          onClick={() => void session.resync()}
        >
          {t('viewing.resync')}
        </button>
      )}
      <span className="muted small" data-testid="viewing-annotations" data-count={view.annotationCount}>
        {t('viewing.annotations', { count: view.annotationCount })}
      </span>
      {view.save !== 'idle' && (
        <span className="muted small" data-testid="viewing-save-status" data-state={view.save}>
          {view.save === 'saving'
            ? t('viewing.saving')
            : view.save === 'saved'
              ? t('viewing.saved')
              : t('viewing.saveFailed')}
        </span>
      )}
      {view.error && (
        <span className="form-error small" role="alert">
          {t('viewing.failed', { message: view.error })}
        </span>
      )}
    </div>
  );
}
