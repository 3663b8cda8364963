// `/studies`: QIDO-RS search over what the user may read, newest first; a row opens the viewer.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { navigate } from '../app/navigation.js';
import { studyPath } from '../app/routes.js';
import { auth } from '../app/services.js';
import { formatDicomDate, formatPersonName, useI18n } from '../i18n/index.js';
import { DicomWebClient } from '../imaging/dicomweb.js';
import './messages.js';
import { EMPTY_SEARCH, sortRows, studyQuery, studyRow, type StudyRow, type StudySearch } from './qido.js';
import './studies.css';

const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'XA', 'MG', 'NM', 'PT', 'OT', 'ECG', 'SR'];

type Result = { name: 'loading' } | { name: 'ready'; rows: StudyRow[] } | { name: 'error'; message: string };

export function StudyListPage() {
  const { t, locale } = useI18n();
  const client = useMemo(
    () =>
      new DicomWebClient({
        baseUrl: `${window.location.origin}/dicomweb`,
        token: () => auth.freshAccessToken(),
      }),
    [],
  );
  const [form, setForm] = useState<StudySearch>(EMPTY_SEARCH);
  const [result, setResult] = useState<Result>({ name: 'loading' });

  const run = useCallback(
    (search: StudySearch) => {
      setResult({ name: 'loading' });
      client
        .searchStudies(studyQuery(search))
        .then((list) =>
          setResult({
            name: 'ready',
            rows: sortRows(list.map(studyRow).filter((r): r is StudyRow => r !== null)),
          }),
        )
        .catch((err: unknown) =>
          setResult({ name: 'error', message: err instanceof Error ? err.message : String(err) }),
        );
    },
    [client],
  );

  useEffect(() => run(EMPTY_SEARCH), [run]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(form);
  };
  const field = (key: keyof StudySearch) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });

  return (
    <main className="studies" data-testid="study-list">
      <div className="studies-head">
        <h1>{t('studies.title')}</h1>
        <button type="button" data-testid="open-upload" onClick={() => navigate('/upload')}>
          {t('studies.upload')}
        </button>
      </div>
      <form className="studies-search" onSubmit={submit}>
        <label>
          {t('studies.patient')}
          <input data-testid="search-patient" type="search" {...field('patient')} />
        </label>
        <label>
          {t('studies.dateFrom')}
          <input data-testid="search-date-from" type="date" {...field('dateFrom')} />
        </label>
        <label>
          {t('studies.dateTo')}
          <input data-testid="search-date-to" type="date" {...field('dateTo')} />
        </label>
        <label>
          {t('studies.modality')}
          <select data-testid="search-modality" {...field('modality')}>
            <option value="">{t('studies.anyModality')}</option>
            {MODALITIES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('studies.accession')}
          <input data-testid="search-accession" type="search" {...field('accession')} />
        </label>
        <button type="submit" data-testid="search-submit">
          {t('studies.search')}
        </button>
        <button
          type="button"
          onClick={() => {
            setForm(EMPTY_SEARCH);
            run(EMPTY_SEARCH);
          }}
        >
          {t('studies.clear')}
        </button>
      </form>
      {result.name === 'loading' && (
        <p data-testid="study-list-state" data-state="loading">
          {t('studies.loading')}
        </p>
      )}
      {result.name === 'error' && (
        <p className="studies-error" role="alert" data-testid="study-list-state" data-state="error">
          {t('studies.error', { message: result.message })}
        </p>
      )}
      {result.name === 'ready' && (
        <>
          <p data-testid="study-list-state" data-state="ready">
            {result.rows.length ? t('studies.count', { n: result.rows.length }) : t('studies.empty')}
          </p>
          <div className="studies-table-wrap">
            <table className="studies-table">
              <thead>
                <tr>
                  <th>{t('studies.colPatient')}</th>
                  <th>{t('studies.colId')}</th>
                  <th>{t('studies.colDate')}</th>
                  <th>{t('studies.colModalities')}</th>
                  <th>{t('studies.colDescription')}</th>
                  <th>{t('studies.colAccession')}</th>
                  <th>{t('studies.colCounts')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.rows.map((r) => (
                  <tr
                    key={r.studyUid}
                    data-testid={`study-row-${r.studyUid}`}
                    onClick={() => navigate(studyPath(r.studyUid))}
                  >
                    <td>{formatPersonName(r.patientName, locale)}</td>
                    <td>{r.patientId}</td>
                    <td>{formatDicomDate(r.studyDate, locale)}</td>
                    <td>{r.modalities.join(', ')}</td>
                    <td>{r.description}</td>
                    <td>{r.accession}</td>
                    <td>
                      {r.series ?? '–'} / {r.instances ?? '–'}
                    </td>
                    <td>
                      <a
                        href={studyPath(r.studyUid)}
                        data-testid={`study-open-${r.studyUid}`}
                        onClick={(e) => {
                          e.preventDefault();
                          e.stopPropagation();
                          navigate(studyPath(r.studyUid));
                        }}
                      >
                        {t('studies.open')}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </main>
  );
}
