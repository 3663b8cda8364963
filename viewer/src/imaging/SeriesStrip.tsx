import { useEffect, useRef } from 'react';
import { utilities as csUtilities } from '@cornerstonejs/core';
import { navigate } from '../app/navigation.js';
import { ecgPath } from '../app/routes.js';
import { useI18n } from '../i18n/index.js';
import { registerInstanceMetadata } from './cornerstone.js';
import { stringValue, TAG } from './dicomweb.js';
import type { SeriesInfo } from './studyModel.js';

const THUMB = 96;

function Thumbnail({ series, enabled }: { series: SeriesInfo; enabled: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const first = series.instances[0];
  const imageId = first?.imageIds[0];
  useEffect(() => {
    if (!enabled || !canvas.current || !first || !imageId) return;
    registerInstanceMetadata(imageId, first.metadata);
    csUtilities
      .loadImageToCanvas({ canvas: canvas.current, imageId, thumbnail: true })
      .catch((err: unknown) => console.warn('thumbnail failed', err));
  }, [first, imageId, enabled]);
  return <canvas ref={canvas} width={THUMB} height={THUMB} className="iv-thumb-canvas" />;
}

/** One button per series: the first image small, or a link to the ECG viewer for waveforms. */
export function SeriesStrip(props: {
  series: SeriesInfo[];
  selected: string | null;
  onSelect: (series: SeriesInfo) => void;
  /** Thumbnails wait for the main viewport's first image: they must not compete with it. */
  thumbnails: boolean;
}) {
  const { t } = useI18n();
  return (
    <nav className="iv-strip" aria-label={t('imaging.series')}>
      {props.series.map((s) => {
        const label = `${s.modality ?? ''} ${s.seriesNumber ?? ''} ${s.description ?? ''}`.trim();
        const count = t('imaging.seriesCount', { n: s.instanceCount || s.instances.length });
        if (s.kind === 'waveform') {
          const sop = s.metadata.map((m) => stringValue(m, TAG.SOPInstanceUID)).find(Boolean);
          return (
            <button
              key={s.seriesUid}
              type="button"
              className="iv-thumb iv-thumb-ecg"
              data-testid={`series-thumb-${s.seriesUid}`}
              data-kind="waveform"
              disabled={!sop}
              onClick={() => sop && navigate(ecgPath(sop))}
            >
              <span className="iv-thumb-icon">〜</span>
              <span>{label}</span>
              <span>{t('imaging.openEcg')}</span>
            </button>
          );
        }
        return (
          <button
            key={s.seriesUid}
            type="button"
            className={s.seriesUid === props.selected ? 'iv-thumb selected' : 'iv-thumb'}
            data-testid={`series-thumb-${s.seriesUid}`}
            data-kind={s.kind}
            aria-pressed={s.seriesUid === props.selected}
            disabled={s.kind !== 'image' || !s.loaded}
            onClick={() => props.onSelect(s)}
          >
            {s.kind === 'image' && s.loaded ? (
              <Thumbnail series={s} enabled={props.thumbnails} />
            ) : (
              <span className="iv-thumb-icon">…</span>
            )}
            <span>{label}</span>
            <span>{count}</span>
          </button>
        );
      })}
    </nav>
  );
}
