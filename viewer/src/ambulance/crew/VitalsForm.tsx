import { useState, type FormEvent } from 'react';
import type { VitalsSample } from '@telemed/signaling/protocol';
import { useI18n } from '../../i18n/index.js';
import './messages.js';

export type ManualVitals = Omit<VitalsSample, 'seq' | 't'>;
type Field = 'sys' | 'dia' | 'hr' | 'spo2' | 'rr' | 'temp';
const FIELDS: Field[] = ['sys', 'dia', 'hr', 'spo2', 'rr', 'temp'];

/** The measured values only (an empty field is "not measured", never 0). */
export function toVitals(v: Record<Field, string>): ManualVitals | null {
  const n = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const [sys, dia, hr, spo2, rr, tempC] = [n(v.sys), n(v.dia), n(v.hr), n(v.spo2), n(v.rr), n(v.temp)];
  const out: ManualVitals = {
    ...(sys !== undefined && dia !== undefined ? { nibp: { sys, dia } } : {}),
    ...(hr !== undefined ? { hr } : {}),
    ...(spo2 !== undefined ? { spo2 } : {}),
    ...(rr !== undefined ? { rr } : {}),
    ...(tempC !== undefined ? { tempC } : {}),
  };
  return Object.keys(out).length > 0 ? out : null;
}

const EMPTY: Record<Field, string> = { sys: '', dia: '', hr: '', spo2: '', rr: '', temp: '' };

export function VitalsForm({ onRecord }: { onRecord(v: ManualVitals): Promise<void> }) {
  const { t } = useI18n();
  const [values, setValues] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const vitals = toVitals(values);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!vitals) return;
    setError(null);
    try {
      await onRecord(vitals);
      setValues(EMPTY);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <form className="card crew-card" onSubmit={(e) => void save(e)} data-testid="crew-vitals">
      <h2>{t('crew.vitals')}</h2>
      <div className="crew-vitals-grid">
        {FIELDS.map((f) => (
          <label key={f}>
            {t(`crew.${f}`)}
            <input
              inputMode="decimal"
              value={values[f]}
              onChange={(e) => setValues({ ...values, [f]: e.target.value })}
              data-testid={`crew-vitals-${f}`}
            />
          </label>
        ))}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="btn btn-primary crew-big"
        disabled={!vitals}
        data-testid="crew-vitals-save"
      >
        {t('crew.saveVitals')}
      </button>
    </form>
  );
}
