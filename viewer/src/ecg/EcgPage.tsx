import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { navigate } from '../app/navigation.js';
import { useI18n } from '../i18n/index.js';
import { fetchHeader, fetchWaveforms, EcgHttpError } from './api.js';
import { CSS_PX_PER_MM, readCalibration, storeCalibration } from './display.js';
import { EcgControls } from './EcgControls.js';
import { EcgHeader } from './EcgHeader.js';
import { EcgPaper, type CaliperPoints } from './EcgPaper.js';
import { applyFilters, planFilters, type FilterSettings } from './filters.js';
import { caliperReading, computeLayout, DEFAULT_PAPER, type PaperSettings } from './layout.js';
import type { EcgHeaderInfo } from './meta.js';
import { detectRPeaks } from './rpeaks.js';
import { toMillivolts, type EcgWaveforms, type EcgWaveGroup } from './types.js';
import './messages.js';
import './ecg.css';

type State =
  { name: 'loading' } | { name: 'ready'; waveforms: EcgWaveforms } | { name: 'error'; message: string };

const DEFAULT_FILTERS: FilterSettings = { highPass: true, notchHz: 50, lowPassHz: 150 };

/** Heart rate from the first acquired (not derived) group that is long enough to hold beats. */
function rhythmBeats(waveforms: EcgWaveforms) {
  const g = waveforms.groups.find(
    (x) => x.originality === 'ORIGINAL' && x.numberOfSamples >= 3 * x.samplingFrequency,
  );
  if (!g) return { group: undefined, result: undefined };
  const voltage = g.leads.filter((l) => toMillivolts(l.units) !== undefined);
  if (voltage.length === 0) return { group: g, result: undefined };
  const ref = voltage.find((l) => l.lead === 'II') ?? voltage[0]!;
  const result = detectRPeaks(
    voltage.map((l) => l.values),
    ref.values,
    g.samplingFrequency,
  );
  return { group: g, result };
}

export function EcgPage({ sopInstanceUid }: { sopInstanceUid: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ name: 'loading' });
  const [info, setInfo] = useState<EcgHeaderInfo>({});
  const [groupIndex, setGroupIndex] = useState(0);
  const [paper, setPaper] = useState<PaperSettings>(DEFAULT_PAPER);
  const [filters, setFilters] = useState<FilterSettings>(DEFAULT_FILTERS);
  const [zoom, setZoom] = useState(1);
  const [calibration, setCalibration] = useState(readCalibration);
  const [caliper, setCaliper] = useState<CaliperPoints | null>(null);
  const [caliperTouch, setCaliperTouch] = useState(true);
  const pageRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    // Timings for benchmarks and support, as data attributes (ms since navigation start).
    if (pageRef.current) pageRef.current.dataset.fetchStartAt = performance.now().toFixed(1);
    fetchWaveforms(sopInstanceUid, abort.signal)
      .then((r) => {
        const el = pageRef.current;
        if (el) {
          el.dataset.fetchMs = r.fetchMs.toFixed(1);
          el.dataset.decodeMs = r.decodeMs.toFixed(1);
        }
        setState({ name: 'ready', waveforms: r.waveforms });
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        const message =
          err instanceof EcgHttpError && err.status === 404
            ? t('ecg.notFound')
            : t('ecg.loadFailed', { reason: err instanceof Error ? err.message : String(err) });
        setState({ name: 'error', message });
      });
    // The header is a nicety: the paper is shown even when the metadata cannot be read.
    fetchHeader(sopInstanceUid, abort.signal).then(setInfo, () => undefined);
    return () => abort.abort();
    // `t` only formats the error: a language switch must not refetch, so it is not a dependency.
  }, [sopInstanceUid]);

  const waveforms = state.name === 'ready' ? state.waveforms : undefined;
  const group: EcgWaveGroup | undefined = waveforms?.groups[groupIndex] ?? waveforms?.groups[0];
  const beats = useMemo(() => (waveforms ? rhythmBeats(waveforms) : undefined), [waveforms]);
  const painted = useMemo(
    () =>
      group?.leads.map((l) => ({
        values: applyFilters(l.values, group.samplingFrequency, filters),
        toMv: toMillivolts(l.units),
      })) ?? [],
    [group, filters],
  );
  const leadNames = useMemo(() => group?.leads.map((l) => l.lead) ?? [], [group]);
  const durationS = group ? group.numberOfSamples / group.samplingFrequency : 0;
  const layout = useMemo(() => computeLayout(leadNames, durationS, paper), [leadNames, durationS, paper]);
  const rPeaks = useMemo(
    () => (beats?.group && beats.group === group && beats.result ? beats.result.peaks : []),
    [beats, group],
  );
  const pxPerMm = CSS_PX_PER_MM * calibration * zoom;
  const skipped = group ? planFilters(filters, group.samplingFrequency).skipped : [];
  const reading = caliper ? caliperReading(caliper.from, caliper.to, paper) : null;

  const onPainted = useCallback((ms: number) => {
    const el = pageRef.current;
    if (!el) return;
    el.dataset.paintMs = ms.toFixed(1);
    el.dataset.firstPaintAt ??= performance.now().toFixed(1);
    el.dataset.paintCount = String(Number(el.dataset.paintCount ?? 0) + 1);
  }, []);
  const changePaper = (p: PaperSettings) => {
    setCaliper(null); // a caliper is drawn in paper mm: it would measure something else after the change
    setPaper(p);
  };
  const changeGroup = (i: number) => {
    setCaliper(null);
    setGroupIndex(i);
  };
  const changeZoom = (z: number) => {
    setCaliper(null);
    setZoom(z);
  };

  const bpm = beats?.result?.heartRateBpm;
  return (
    <main className="ecg-page" data-testid="ecg-page" data-state={state.name} ref={pageRef}>
      <div className="ecg-bar">
        <h1>{t('ecg.title')}</h1>
        <button
          type="button"
          className="btn"
          data-testid="ecg-import-button"
          onClick={() => navigate('/ecg/import')}
        >
          {t('ecg.importButton')}
        </button>
      </div>
      {state.name === 'loading' && <p className="ecg-status">{t('ecg.loading')}</p>}
      {state.name === 'error' && (
        <p className="form-error" role="alert" data-testid="ecg-error">
          {state.message}
        </p>
      )}
      {waveforms && group && (
        <>
          <EcgHeader info={info} group={group} />
          <div className="ecg-readouts">
            <span className="ecg-hr">
              {t('ecg.heartRate')}:{' '}
              <strong
                data-testid="ecg-heart-rate"
                data-bpm={bpm ?? ''}
                data-r-peaks={beats?.result?.peaks.join(',') ?? ''}
              >
                {bpm !== undefined ? t('ecg.heartRateValue', { bpm }) : t('ecg.heartRateUnknown')}
              </strong>
            </span>
            <span className="ecg-caliper-readout" title={t('ecg.calipersHint')}>
              {t('ecg.interval')}:{' '}
              <strong data-testid="ecg-caliper-ms" data-value={reading?.intervalMs ?? ''}>
                {reading ? t('ecg.intervalValue', { ms: Math.round(reading.intervalMs) }) : '—'}
              </strong>
              {reading && reading.intervalMs >= 200 && (
                <span className="muted">
                  {' '}
                  {t('ecg.rateOfInterval', { bpm: Math.round(60000 / reading.intervalMs) })}
                </span>
              )}
              {' · '}
              {t('ecg.amplitude')}:{' '}
              <strong data-testid="ecg-caliper-mv" data-value={reading?.amplitudeMv ?? ''}>
                {reading ? t('ecg.amplitudeValue', { mv: reading.amplitudeMv.toFixed(2) }) : '—'}
              </strong>
            </span>
            {skipped.length > 0 && (
              <span className="muted" data-testid="ecg-filter-skipped">
                {t('ecg.filterSkipped', {
                  hz: group.samplingFrequency,
                  which: skipped.map((s) => (s === 'notch' ? t('ecg.notch') : t('ecg.lowPass'))).join(', '),
                })}
              </span>
            )}
          </div>
          <EcgControls
            groups={waveforms.groups}
            groupIndex={groupIndex}
            onGroup={changeGroup}
            paper={paper}
            onPaper={changePaper}
            filters={filters}
            onFilters={setFilters}
            zoom={zoom}
            onZoom={changeZoom}
            calibration={calibration}
            onCalibration={(c) => {
              setCaliper(null);
              setCalibration(c);
              storeCalibration(c);
            }}
            caliperTouch={caliperTouch}
            onCaliperTouch={setCaliperTouch}
          />
          <div className="ecg-scroll">
            <EcgPaper
              layout={layout}
              settings={paper}
              pxPerMm={pxPerMm}
              leads={painted}
              leadNames={leadNames}
              samplingFrequency={group.samplingFrequency}
              rPeaks={rPeaks}
              caliper={caliper}
              caliperTouch={caliperTouch}
              onCaliper={setCaliper}
              onPainted={onPainted}
            />
          </div>
        </>
      )}
    </main>
  );
}
