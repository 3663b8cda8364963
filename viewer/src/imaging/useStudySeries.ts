// The series of one study, kept current: QIDO-RS for the list, WADO-RS metadata per series (the first
// series first, so its first image can be shown before the others are known), and live arrivals through
// the app's Socket.IO connection (`watchStudy` → `studyUpdated`), re-sent after every reconnection.
import { useEffect, useRef, useState } from 'react';
import type { StudyUpdate } from '@telemed/signaling/protocol';
import { auth, signalingFor, useSession } from '../app/services.js';
import { initImaging } from './cornerstone.js';
import { numberValue, stringValue, TAG, type DicomJsonDataset, type DicomWebClient } from './dicomweb.js';
import { seriesFromQido, sortSeries, withMetadata, type SeriesInfo } from './studyModel.js';

export type StudyLoad =
  | { name: 'loading' }
  | { name: 'ready'; client: DicomWebClient; series: SeriesInfo[]; studyMeta: DicomJsonDataset | null }
  | { name: 'error'; message: string };

/** From this many instances on, the first image is shown from its own metadata before the series'. */
const FIRST_INSTANCE_AHEAD = 10;

async function firstInstance(
  client: DicomWebClient,
  studyUid: string,
  series: SeriesInfo,
): Promise<DicomJsonDataset | null> {
  const list = await client.searchInstances(studyUid, series.seriesUid);
  const sorted = [...list].sort(
    (a, b) => (numberValue(a, TAG.InstanceNumber) ?? 0) - (numberValue(b, TAG.InstanceNumber) ?? 0),
  );
  const sop = sorted.map((ds) => stringValue(ds, TAG.SOPInstanceUID)).find(Boolean);
  return sop ? client.instanceMetadata(studyUid, series.seriesUid, sop) : null;
}

/** Coalesces a burst of arrivals (a modality sends a series image by image) into one refresh. */
const LIVE_REFRESH_MS = 250;

export function useStudySeries(studyUid: string): {
  load: StudyLoad;
  /** Bumped for each refresh caused by a live arrival (the viewer extends the shown stack). */
  liveVersion: number;
  resolveSeries: (seriesUid: string) => Promise<SeriesInfo | null>;
} {
  const session = useSession();
  const [load, setLoad] = useState<StudyLoad>({ name: 'loading' });
  const [liveVersion, setLiveVersion] = useState(0);
  const seriesRef = useRef<SeriesInfo[]>([]);
  const clientRef = useRef<DicomWebClient | null>(null);

  useEffect(() => {
    let cancelled = false;
    seriesRef.current = [];
    const publish = (client: DicomWebClient) => {
      if (cancelled) return;
      const series = sortSeries(seriesRef.current);
      const studyMeta = series.find((s) => s.metadata.length)?.metadata[0] ?? null;
      setLoad({ name: 'ready', client, series, studyMeta });
    };
    const fetchSeries = async (client: DicomWebClient, info: SeriesInfo) => {
      const metadata = await client.seriesMetadata(studyUid, info.seriesUid);
      const filled = withMetadata(client, studyUid, info, metadata);
      seriesRef.current = seriesRef.current.map((s) => (s.seriesUid === info.seriesUid ? filled : s));
      return filled;
    };
    const refresh = async (client: DicomWebClient, only?: Set<string>) => {
      const list = (await client.searchSeries(studyUid))
        .map(seriesFromQido)
        .filter((s): s is SeriesInfo => s !== null);
      const known = new Map(seriesRef.current.map((s) => [s.seriesUid, s]));
      seriesRef.current = sortSeries(
        list.map((s) => {
          const old = known.get(s.seriesUid);
          return old ? { ...old, instanceCount: s.instanceCount } : s;
        }),
      );
      const todo = seriesRef.current.filter((s) => !s.loaded || only?.has(s.seriesUid));
      const first = todo[0];
      if (first && !first.loaded && first.instanceCount >= FIRST_INSTANCE_AHEAD) {
        // A long series: its first image needs one instance's metadata, not the whole series'.
        const head = await firstInstance(client, studyUid, first);
        if (head) {
          const partial = withMetadata(client, studyUid, first, [head], true);
          seriesRef.current = seriesRef.current.map((s) => (s.seriesUid === first.seriesUid ? partial : s));
          publish(client);
        }
      }
      if (first) await fetchSeries(client, first);
      publish(client);
      await Promise.all(todo.slice(1).map((s) => fetchSeries(client, s)));
      publish(client);
    };

    (async () => {
      const client = await initImaging(() => auth.freshAccessToken());
      clientRef.current = client;
      await refresh(client);
    })().catch((err: unknown) => {
      if (!cancelled) setLoad({ name: 'error', message: err instanceof Error ? err.message : String(err) });
    });

    // Live arrivals.
    const signaling = session ? signalingFor(session) : null;
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const client = clientRef.current;
      if (!client || cancelled) return;
      const only = new Set(pending);
      pending.clear();
      refresh(client, only)
        .then(() => !cancelled && setLiveVersion((v) => v + 1))
        .catch((err: unknown) => console.warn('live refresh failed', err));
    };
    const onUpdate = (u: StudyUpdate) => {
      if (u.studyInstanceUid !== studyUid || u.roomId) return;
      pending.add(u.seriesInstanceUid);
      timer ??= setTimeout(flush, LIVE_REFRESH_MS);
    };
    const watch = () => {
      if (!signaling?.connected) return;
      signaling
        .request('watchStudy', { studyInstanceUid: studyUid })
        .catch((err: unknown) => console.warn('watchStudy refused', err));
    };
    const offUpdate = signaling?.on('studyUpdated', onUpdate);
    const offState = signaling?.onState((state) => state === 'connected' && watch());
    watch();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      offUpdate?.();
      offState?.();
      if (signaling?.connected)
        signaling.request('unwatchStudy', { studyInstanceUid: studyUid }).catch(() => undefined);
    };
    // The session's user, not its token: a refresh must not restart the study.
  }, [studyUid, session?.user.id]);

  const resolveSeries = async (seriesUid: string): Promise<SeriesInfo | null> => {
    const s = seriesRef.current.find((x) => x.seriesUid === seriesUid);
    const client = clientRef.current;
    if (!s || !client) return null;
    if (s.loaded) return s;
    const metadata = await client.seriesMetadata(studyUid, seriesUid);
    return withMetadata(client, studyUid, s, metadata);
  };

  return { load, liveVersion, resolveSeries };
}
