// The consult room's study panel, beside the video: the studies attached to the room, attaching one
// more, and the embedded image viewer shared live (one presents, the others follow).
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { PeerInfo } from '@telemed/signaling/protocol';
import { sessionStore } from '../app/services.js';
import { useI18n } from '../i18n/index.js';
import { installViewingHook } from '../sharedViewing/debugHook.js';
import { EmbeddedViewer } from '../sharedViewing/EmbeddedViewer.js';
import { SharedViewingSession } from '../sharedViewing/SharedViewingSession.js';
import { StudyList, type AttachedRow } from '../sharedViewing/StudyList.js';
import { attachStudy, roomStudies, savedAnnotations, studySummary } from '../sharedViewing/studiesApi.js';
import { ViewingBar } from '../sharedViewing/ViewingBar.js';
import '../sharedViewing/messages.js';
import '../sharedViewing/sharedViewing.css';
import type { RoomClient } from './RoomClient.js';
import type { RoomPhase } from './roomState.js';

export function StudyPanel({
  client,
  peers,
  phase,
}: {
  client: RoomClient;
  peers: PeerInfo[];
  phase: RoomPhase;
}) {
  const { t } = useI18n();
  const [session, setSession] = useState<SharedViewingSession | null>(null);
  const [collapsed, setCollapsed] = useState(false);
  const rows = useAttachedStudies(client);

  useEffect(() => {
    const s = new SharedViewingSession({
      signaling: client.signaling,
      selfId: sessionStore.get()?.user.id ?? '',
      saved: savedAnnotations(client.roomId),
    });
    const uninstall = installViewingHook(s, () => s.currentController);
    setSession(s);
    return () => {
      uninstall();
      s.close();
    };
  }, [client]);

  // After every (re)join: the room's shared view may have moved on meanwhile.
  useEffect(() => {
    if (phase === 'joined' && session) void session.sync().catch(() => undefined);
  }, [phase, session]);

  if (!session) return null;
  return (
    <StudyPanelBody
      session={session}
      rows={rows.list}
      peers={peers}
      joined={phase === 'joined'}
      collapsed={collapsed}
      onToggle={() => setCollapsed((c) => !c)}
      onAttach={async (uid) => {
        await attachStudy(client.roomId, uid);
        await rows.reload();
      }}
      title={t('viewing.panelTitle')}
    />
  );
}

function StudyPanelBody(props: {
  session: SharedViewingSession;
  rows: AttachedRow[];
  peers: PeerInfo[];
  joined: boolean;
  collapsed: boolean;
  onToggle: () => void;
  onAttach: (uid: string) => Promise<void>;
  title: string;
}) {
  const { t } = useI18n();
  const { session } = props;
  const view = useSyncExternalStore(session.subscribe, session.view);
  const withViewer = !props.collapsed && view.studyUid !== null;
  const list = (
    <StudyList
      rows={props.rows}
      openUid={view.studyUid}
      canOpen={view.mode !== 'following'}
      onOpen={(uid) => session.openStudy(uid)}
      onAttach={props.onAttach}
    />
  );
  return (
    <aside
      className={`study-panel${withViewer ? ' with-viewer' : ''}${props.collapsed ? ' collapsed' : ''}`}
      data-testid="study-panel"
      aria-label={props.title}
    >
      <div className="study-panel-head">
        <h2>{props.title}</h2>
        {!props.collapsed && (
          <ViewingBar session={session} view={view} peers={props.peers} disabled={!props.joined} />
        )}
        <button
          type="button"
          className="btn"
          data-testid="study-panel-toggle"
          aria-expanded={!props.collapsed}
          onClick={props.onToggle}
        >
          {props.collapsed ? t('viewing.open') : t('viewing.close')}
        </button>
      </div>
      {!props.collapsed && (
        <>
          <div className="study-panel-body">
            {view.studyUid ? (
              <details className="study-list-details" data-testid="study-list-details">
                <summary>{t('viewing.attached')}</summary>
                {list}
              </details>
            ) : (
              list
            )}
            {view.studyUid && (
              <div
                className="study-panel-viewer"
                data-testid="study-panel-viewer"
                data-study-uid={view.studyUid}
              >
                <EmbeddedViewer studyUid={view.studyUid} session={session} />
              </div>
            )}
          </div>
        </>
      )}
    </aside>
  );
}

/** The room's attached studies with their QIDO summaries, refreshed when images arrive. */
function useAttachedStudies(client: RoomClient): { list: AttachedRow[]; reload: () => Promise<void> } {
  const [list, setList] = useState<AttachedRow[]>([]);
  const reload = useCallback(async () => {
    const { studies } = await roomStudies(client.roomId);
    const rows = await Promise.all(
      studies.map(async (s) => ({
        studyInstanceUid: s.studyInstanceUid,
        summary: await studySummary(s.studyInstanceUid).catch(() => null),
      })),
    );
    setList(rows);
  }, [client]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    void reload().catch(() => undefined);
    // A burst of arriving images (a CT series) refreshes the list once.
    const off = client.signaling.on('studyUpdated', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void reload().catch(() => undefined);
      }, 500);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, reload]);
  return { list, reload };
}
