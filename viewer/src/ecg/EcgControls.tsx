import { useI18n } from '../i18n/index.js';
import type { FilterSettings, LowPassHz, NotchHz } from './filters.js';
import type { GainMmPerMv, LayoutName, PaperSettings, SpeedMmPerS } from './layout.js';
import type { EcgWaveGroup } from './types.js';
import './messages.js';

interface Props {
  groups: readonly EcgWaveGroup[];
  groupIndex: number;
  onGroup(i: number): void;
  paper: PaperSettings;
  onPaper(p: PaperSettings): void;
  filters: FilterSettings;
  onFilters(f: FilterSettings): void;
  zoom: number;
  onZoom(z: number): void;
  calibration: number;
  onCalibration(c: number): void;
  caliperTouch: boolean;
  onCaliperTouch(on: boolean): void;
}

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4];

export function groupName(t: ReturnType<typeof useI18n>['t'], g: EcgWaveGroup): string {
  const kind = g.originality === 'ORIGINAL' ? t('ecg.groupRhythm') : t('ecg.groupBeats');
  return g.label ? `${kind} (${g.label})` : kind;
}

/** Paper, filter and display controls; plain selects and checkboxes so they work with touch. */
export function EcgControls(p: Props) {
  const { t } = useI18n();
  const zoomStep = (dir: 1 | -1) => {
    const i = ZOOMS.findIndex((z) => z >= p.zoom - 1e-9);
    const next = ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, (i < 0 ? ZOOMS.length - 1 : i) + dir))]!;
    p.onZoom(next);
  };
  return (
    <div className="ecg-controls">
      {p.groups.length > 1 && (
        <label>
          {t('ecg.group')}
          <select
            data-testid="ecg-group"
            value={p.groupIndex}
            onChange={(e) => p.onGroup(Number(e.target.value))}
          >
            {p.groups.map((g, i) => (
              <option key={i} value={i}>
                {groupName(t, g)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('ecg.layout')}
        <select
          data-testid="ecg-layout"
          value={p.paper.layout}
          onChange={(e) => p.onPaper({ ...p.paper, layout: e.target.value as LayoutName })}
        >
          <option value="3x4">{t('ecg.layout3x4')}</option>
          <option value="12x1">{t('ecg.layout12x1')}</option>
        </select>
      </label>
      <label>
        {t('ecg.speed')}
        <select
          data-testid="ecg-speed"
          value={p.paper.speed}
          onChange={(e) => p.onPaper({ ...p.paper, speed: Number(e.target.value) as SpeedMmPerS })}
        >
          {[25, 50].map((v) => (
            <option key={v} value={v}>
              {t('ecg.speedValue', { v })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ecg.gain')}
        <select
          data-testid="ecg-gain"
          value={p.paper.gain}
          onChange={(e) => p.onPaper({ ...p.paper, gain: Number(e.target.value) as GainMmPerMv })}
        >
          {[5, 10, 20].map((v) => (
            <option key={v} value={v}>
              {t('ecg.gainValue', { v })}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="ecg-filters">
        <legend>{t('ecg.filters')}</legend>
        <label className="ecg-check">
          <input
            type="checkbox"
            data-testid="ecg-filter-highpass"
            checked={p.filters.highPass}
            onChange={(e) => p.onFilters({ ...p.filters, highPass: e.target.checked })}
          />
          {t('ecg.highPass')}
        </label>
        <label>
          {t('ecg.notch')}
          <select
            data-testid="ecg-filter-notch"
            value={p.filters.notchHz}
            onChange={(e) => p.onFilters({ ...p.filters, notchHz: Number(e.target.value) as NotchHz })}
          >
            <option value={0}>{t('ecg.off')}</option>
            <option value={50}>{t('ecg.hz', { v: 50 })}</option>
            <option value={60}>{t('ecg.hz', { v: 60 })}</option>
          </select>
        </label>
        <label>
          {t('ecg.lowPass')}
          <select
            data-testid="ecg-filter-lowpass"
            value={p.filters.lowPassHz}
            onChange={(e) => p.onFilters({ ...p.filters, lowPassHz: Number(e.target.value) as LowPassHz })}
          >
            <option value={0}>{t('ecg.off')}</option>
            {[40, 100, 150].map((v) => (
              <option key={v} value={v}>
                {t('ecg.hz', { v })}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <span className="ecg-zoom" role="group" aria-label={t('ecg.zoom')}>
        <button
          type="button"
          className="btn btn-small"
          data-testid="ecg-zoom-out"
          aria-label={t('ecg.zoomOut')}
          onClick={() => zoomStep(-1)}
        >
          −
        </button>
        <span data-testid="ecg-zoom">{Math.round(p.zoom * 100)}%</span>
        <button
          type="button"
          className="btn btn-small"
          data-testid="ecg-zoom-in"
          aria-label={t('ecg.zoomIn')}
          onClick={() => zoomStep(1)}
        >
          +
        </button>
      </span>
      <label title={t('ecg.calibrationHint')}>
        {t('ecg.calibration')}
        <input
          type="number"
          data-testid="ecg-calibration"
          min={0.5}
          max={2}
          step={0.01}
          value={p.calibration}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (v >= 0.5 && v <= 2) p.onCalibration(v);
          }}
        />
      </label>
      <label className="ecg-check">
        <input
          type="checkbox"
          data-testid="ecg-caliper-touch"
          checked={p.caliperTouch}
          onChange={(e) => p.onCaliperTouch(e.target.checked)}
        />
        {t('ecg.calipers')}
      </label>
    </div>
  );
}
