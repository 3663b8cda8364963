import { useEffect, useState, type FormEvent } from 'react';
import {
  RUN_CATEGORIES,
  type AmbulanceRun,
  type CreateRunBody,
  type HospitalsResponse,
  type RunCategory,
} from '@telemed/signaling/protocol';
import { ApiError } from '../../api/errors.js';
import { describeError } from '../../i18n/errors.js';
import { useI18n } from '../../i18n/index.js';
import { categoryLabel } from '../shared/labels.js';
import { crewApi } from './crewApi.js';
import './messages.js';

type Sex = NonNullable<CreateRunBody['patient']['sex']>;
const SEXES: Sex[] = ['M', 'F', 'O', 'U'];

export function StartRunForm({ onStarted }: { onStarted(run: AmbulanceRun): void }) {
  const { t } = useI18n();
  const [hospitals, setHospitals] = useState<HospitalsResponse['hospitals']>([]);
  const [callsign, setCallsign] = useState('');
  const [destinationId, setDestinationId] = useState('');
  const [category, setCategory] = useState<RunCategory>('medical');
  const [complaint, setComplaint] = useState('');
  const [sex, setSex] = useState<Sex>('U');
  const [age, setAge] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    crewApi.hospitals().then(
      (r) => setHospitals(r.hospitals),
      (err: unknown) => setError(describeError(ApiError.from(err), t('crew.loading'))),
    );
  }, [t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const ageYears = age.trim() === '' ? undefined : Number(age);
    try {
      const run = await crewApi.create({
        callsign: callsign.trim(),
        destinationId,
        patient: {
          category,
          complaint: complaint.trim(),
          ...(sex !== 'U' ? { sex } : {}),
          ...(ageYears !== undefined && Number.isInteger(ageYears) ? { ageYears } : {}),
          ...(name.trim() ? { name: name.trim() } : {}),
        },
      });
      onStarted(run);
    } catch (err) {
      setError(describeError(ApiError.from(err), t('crew.startRun')));
      setBusy(false);
    }
  };

  return (
    <form className="card crew-card crew-form" onSubmit={(e) => void submit(e)} data-testid="crew-start-form">
      <h2>{t('crew.startRun')}</h2>
      <label>
        {t('crew.callsign')}
        <input
          required
          maxLength={40}
          value={callsign}
          onChange={(e) => setCallsign(e.target.value)}
          data-testid="crew-callsign"
        />
      </label>
      <label>
        {t('crew.destination')}
        <select
          required
          value={destinationId}
          onChange={(e) => setDestinationId(e.target.value)}
          data-testid="crew-destination"
        >
          <option value="">{t('crew.chooseDestination')}</option>
          {hospitals.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="crew-choices">
        <legend>{t('crew.category')}</legend>
        {RUN_CATEGORIES.map((c) => (
          <button
            key={c}
            type="button"
            className={c === category ? 'btn btn-primary crew-big' : 'btn crew-big'}
            aria-pressed={c === category}
            onClick={() => setCategory(c)}
            data-testid={`crew-category-${c}`}
          >
            {categoryLabel(c)}
          </button>
        ))}
      </fieldset>
      <label>
        {t('crew.complaint')}
        <input
          required
          maxLength={500}
          value={complaint}
          onChange={(e) => setComplaint(e.target.value)}
          data-testid="crew-complaint"
        />
      </label>
      <div className="crew-row">
        <label>
          {t('crew.sex')}
          <select value={sex} onChange={(e) => setSex(e.target.value as Sex)} data-testid="crew-sex">
            {SEXES.map((s) => (
              <option key={s} value={s}>
                {t(`ambulance.sex${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('crew.age')}
          <input
            inputMode="numeric"
            pattern="[0-9]{1,3}"
            value={age}
            onChange={(e) => setAge(e.target.value)}
            data-testid="crew-age"
          />
        </label>
      </div>
      <label>
        {t('crew.name')}
        <input
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="crew-name"
        />
      </label>
      {error && (
        <p className="form-error" role="alert" data-testid="crew-start-error">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary crew-big" disabled={busy} data-testid="crew-start">
        {busy ? t('crew.starting') : t('crew.start')}
      </button>
    </form>
  );
}
