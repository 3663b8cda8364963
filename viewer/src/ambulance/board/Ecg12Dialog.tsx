import { useCallback, useEffect, useMemo, useState } from 'react';
import { CSS_PX_PER_MM, readCalibration } from '../../ecg/display.js';
import { EcgPaper, type CaliperPoints } from '../../ecg/EcgPaper.js';
import { applyFilters, type FilterSettings } from '../../ecg/filters.js';
import { computeLayout, DEFAULT_PAPER } from '../../ecg/layout.js';
import '../../ecg/ecg.css';
import { useI18n } from '../../i18n/index.js';
import type { EcgRing } from './ecgRing.js';

/** The diagnosis workspace's defaults: full diagnostic bandwidth for ST segments. */
const DIAGNOSTIC_FILTERS: FilterSettings = { highPass: true, notchHz: 50, lowPassHz: 150 };
const SECONDS = 10;

/**
 * The last 10 s of every lead as the ECG viewer shows a 12-lead (3×4 with a lead II rhythm strip,
 * calipers included), frozen when opened so it can be read and measured.
 */
export function Ecg12Dialog({
  ring,
  callsign,
  onClose,
}: {
  ring: EcgRing;
  callsign: string;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [caliper, setCaliper] = useState<CaliperPoints | null>(null);
  const snapshot = useMemo(() => {
    const fs = ring.sampleRate;
    const n = Math.min(ring.total, Math.round(SECONDS * fs));
    const leads = ring.leads.map((lead) => {
      const raw = new Float32Array(n);
      ring.read(lead, ring.total, raw);
      return { values: applyFilters(raw, fs, DIAGNOSTIC_FILTERS), toMv: 1e-3 };
    });
    return { fs, n, leads, names: [...ring.leads] };
  }, [ring]);
  const layout = useMemo(
    () => computeLayout(snapshot.names, snapshot.n / Math.max(1, snapshot.fs), DEFAULT_PAPER),
    [snapshot],
  );
  const onPainted = useCallback(() => undefined, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="amb-dialog-backdrop" onClick={onClose}>
      <div
        className="amb-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={t('ambulance.ecgDetailTitle', { callsign })}
        data-testid="ambulance-ecg12-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="amb-dialog-bar">
          <h2>{t('ambulance.ecgDetailTitle', { callsign })}</h2>
          <button type="button" className="btn" data-testid="ambulance-ecg12-close" onClick={onClose}>
            {t('ambulance.close')}
          </button>
        </div>
        <div className="amb-dialog-paper">
          <EcgPaper
            layout={layout}
            settings={DEFAULT_PAPER}
            pxPerMm={CSS_PX_PER_MM * readCalibration()}
            leads={snapshot.leads}
            leadNames={snapshot.names}
            samplingFrequency={snapshot.fs}
            rPeaks={[]}
            caliper={caliper}
            caliperTouch={false}
            onCaliper={setCaliper}
            onPainted={onPainted}
          />
        </div>
      </div>
    </div>
  );
}
