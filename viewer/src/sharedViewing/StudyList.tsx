// The consult room's attached studies (with what QIDO-RS knows of them) and the search to attach
// another one the user may see.
import { useState, type FormEvent } from 'react';
import { formatDicomDate, formatPersonName, useI18n } from '../i18n/index.js';
import { searchStudies, type StudySummary } from './studiesApi.js';
import './messages.js';

export interface AttachedRow {
  studyInstanceUid: string;
  summary: StudySummary | null;
}

export function StudyList({
  rows,
  openUid,
  canOpen,
  onOpen,
  onAttach,
}: {
  rows: AttachedRow[];
  openUid: string | null;
  canOpen: boolean;
  onOpen: (uid: string) => void;
  onAttach: (uid: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<StudySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attachedUids = new Set(rows.map((r) => r.studyInstanceUid));

  const search = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setResults(await searchStudies(query));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <div className="study-list">
      <h3 className="small">{t('viewing.attached')}</h3>
      {rows.length === 0 && <p className="muted small">{t('viewing.noStudies')}</p>}
      <ul className="study-rows">
        {rows.map((r) => (
          <li
            key={r.studyInstanceUid}
            className={r.studyInstanceUid === openUid ? 'study-row open' : 'study-row'}
            data-testid={`attached-study-${r.studyInstanceUid}`}
          >
            <StudyLabel uid={r.studyInstanceUid} summary={r.summary} />
            <button
              type="button"
              className="btn"
              data-testid={`room-open-study-${r.studyInstanceUid}`}
              disabled={!canOpen || !r.summary}
              onClick={() => onOpen(r.studyInstanceUid)}
            >
              {t('viewing.open')}
            </button>
          </li>
        ))}
      </ul>
      <form className="study-search" onSubmit={(e) => void search(e)}>
        <input
          data-testid="attach-search"
          value={query}
          placeholder={t('viewing.attachSearch')}
          aria-label={t('viewing.attachSearch')}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="btn" data-testid="attach-search-submit">
          {t('viewing.search')}
        </button>
      </form>
      {error && <p className="form-error small">{error}</p>}
      {results && results.length === 0 && <p className="muted small">{t('viewing.noResults')}</p>}
      {results && results.length > 0 && (
        <ul className="study-rows">
          {results.map((s) => (
            <li
              key={s.studyInstanceUid}
              className="study-row"
              data-testid={`search-study-${s.studyInstanceUid}`}
            >
              <StudyLabel uid={s.studyInstanceUid} summary={s} />
              <button
                type="button"
                className="btn"
                data-testid={`attach-study-${s.studyInstanceUid}`}
                disabled={attachedUids.has(s.studyInstanceUid)}
                onClick={() => void onAttach(s.studyInstanceUid).catch((err: Error) => setError(err.message))}
              >
                {t('viewing.attachThis')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function StudyLabel({ uid, summary }: { uid: string; summary: StudySummary | null }) {
  const { t } = useI18n();
  if (!summary)
    return (
      <span className="study-label">
        <span className="muted small" title={uid}>
          {t('viewing.notYetArrived')}
        </span>
      </span>
    );
  return (
    <span className="study-label" title={uid}>
      <strong>{formatPersonName(summary.patientName) || summary.patientId || '—'}</strong>
      <span className="muted small">
        {[formatDicomDate(summary.studyDate), summary.modalities.join('/'), summary.description]
          .filter(Boolean)
          .join(' · ')}
        {summary.instances !== null ? ` · ${t('viewing.images', { count: summary.instances })}` : ''}
      </span>
    </span>
  );
}
