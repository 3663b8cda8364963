// `/upload`: files, a folder or zips → DICOM files → resumable chunked uploads, a few at a time, with a
// bar per file and one overall; each file ends stored, already stored, or refused with the server's reason.
import { useRef, useState, type ChangeEvent } from 'react';
import { navigate } from '../app/navigation.js';
import { studyPath } from '../app/routes.js';
import { useI18n } from '../i18n/index.js';
import { sortFiles, type Candidate } from './dicomFiles.js';
import './messages.js';
import { browserTransport } from './transport.js';
import { runLimited, sha256Hex, uploadFile } from './uploader.js';
import './upload.css';

const CONCURRENCY = 3;

type Status = 'queued' | 'hashing' | 'uploading' | 'stored' | 'duplicate' | 'refused' | 'failed' | 'skipped';

interface Item {
  name: string;
  size: number;
  sent: number;
  status: Status;
  reason?: string;
  studyUid?: string;
  file?: Candidate;
}

const FINAL: Status[] = ['stored', 'duplicate', 'refused', 'failed', 'skipped'];

export function UploadPage() {
  const { t } = useI18n();
  const [items, setItems] = useState<Item[]>([]);
  const [reading, setReading] = useState(false);
  const itemsRef = useRef<Item[]>([]);

  const update = (index: number, patch: Partial<Item>) => {
    itemsRef.current = itemsRef.current.map((it, i) => (i === index ? { ...it, ...patch } : it));
    setItems(itemsRef.current);
  };

  const uploadIndexes = async (indexes: number[]) => {
    await runLimited(
      indexes.map((i) => async () => {
        const item = itemsRef.current[i]!;
        const file = item.file!;
        update(i, { status: 'hashing', sent: 0, reason: undefined });
        try {
          const outcome = await uploadFile(browserTransport, file, {
            sha256: async (d) => {
              const h = await sha256Hex(d);
              update(i, { status: 'uploading' });
              return h;
            },
            onProgress: (sent) => update(i, { sent }),
          });
          if (outcome.status === 'refused') update(i, { status: 'refused', reason: outcome.reason });
          else update(i, { status: outcome.status, sent: file.size, studyUid: outcome.studyUid });
        } catch (err) {
          update(i, { status: 'failed', reason: err instanceof Error ? err.message : String(err) });
        }
      }),
      CONCURRENCY,
    );
  };

  const onPick = async (e: ChangeEvent<HTMLInputElement>) => {
    const list = Array.from(e.target.files ?? []);
    e.target.value = '';
    if (!list.length) return;
    setReading(true);
    const sorted = await sortFiles(list.map((f) => ({ name: f.webkitRelativePath || f.name, blob: f })));
    setReading(false);
    const start = itemsRef.current.length;
    itemsRef.current = [
      ...itemsRef.current,
      ...sorted.dicom.map((f): Item => ({ name: f.name, size: f.size, sent: 0, status: 'queued', file: f })),
      ...sorted.skipped.map((s): Item => ({
        name: s.name,
        size: 0,
        sent: 0,
        status: 'skipped',
        reason: t(`upload.skip.${s.reason}`),
      })),
    ];
    setItems(itemsRef.current);
    await uploadIndexes(sorted.dicom.map((_, k) => start + k));
  };

  const retry = () => {
    const failed = itemsRef.current.flatMap((it, i) => (it.status === 'failed' ? [i] : []));
    void uploadIndexes(failed);
  };

  const uploadable = items.filter((i) => i.status !== 'skipped');
  const totalBytes = uploadable.reduce((s, i) => s + i.size, 0);
  const sentBytes = uploadable.reduce(
    (s, i) => s + (FINAL.includes(i.status) ? i.size : Math.min(i.sent, i.size)),
    0,
  );
  const overall = totalBytes ? Math.floor((sentBytes / totalBytes) * 100) : items.length ? 100 : 0;
  const count = (s: Status) => items.filter((i) => i.status === s).length;
  const studies = [...new Set(items.map((i) => i.studyUid).filter((u): u is string => !!u))];
  const finished = items.filter((i) => FINAL.includes(i.status)).length;

  return (
    <main className="upload" data-testid="upload-page">
      <div className="upload-head">
        <h1>{t('upload.title')}</h1>
        <button type="button" onClick={() => navigate('/studies')}>
          {t('upload.back')}
        </button>
      </div>
      <p>{t('upload.hint')}</p>
      <div className="upload-pickers">
        <label className="upload-pick">
          {t('upload.files')}
          <input
            type="file"
            multiple
            accept=".dcm,.zip,application/dicom,application/zip,*/*"
            data-testid="upload-files"
            onChange={(e) => void onPick(e)}
          />
        </label>
        <label className="upload-pick">
          {t('upload.folder')}
          <input
            type="file"
            data-testid="upload-folder"
            onChange={(e) => void onPick(e)}
            {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
          />
        </label>
      </div>
      {reading && <p>{t('upload.reading')}</p>}
      {items.length > 0 && (
        <section className="upload-overall">
          <label>
            {t('upload.overall')} · {t('upload.progress', { done: finished, total: items.length })}
            <div
              className="upload-bar"
              role="progressbar"
              data-testid="upload-progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={overall}
              data-done={finished === items.length ? 'true' : 'false'}
            >
              <div style={{ width: `${overall}%` }} />
            </div>
          </label>
          <p data-testid="upload-summary">
            {t('upload.summary', {
              stored: count('stored'),
              duplicate: count('duplicate'),
              failed: count('failed') + count('refused'),
              skipped: count('skipped'),
            })}
          </p>
          {count('failed') > 0 && (
            <button type="button" data-testid="upload-retry" onClick={retry}>
              {t('upload.retry')}
            </button>
          )}
          {studies.map((uid) => (
            <button
              key={uid}
              type="button"
              data-testid={`upload-open-${uid}`}
              onClick={() => navigate(studyPath(uid))}
            >
              {t('upload.openStudy')} {uid.slice(-12)}
            </button>
          ))}
        </section>
      )}
      <ul className="upload-files">
        {items.map((it, i) => {
          const pct = it.size ? Math.floor((Math.min(it.sent, it.size) / it.size) * 100) : 0;
          return (
            <li key={`${it.name}-${i}`} data-testid={`upload-file-${i}`} data-status={it.status}>
              <span className="upload-name" title={it.name}>
                {it.name}
              </span>
              {it.status !== 'skipped' && (
                <div
                  className="upload-bar small"
                  role="progressbar"
                  aria-valuenow={FINAL.includes(it.status) ? 100 : pct}
                  aria-valuemin={0}
                  aria-valuemax={100}
                >
                  <div style={{ width: `${FINAL.includes(it.status) ? 100 : pct}%` }} />
                </div>
              )}
              <span className={`upload-status ${it.status}`}>
                {t(`upload.${it.status}`)}
                {it.reason ? `: ${it.reason}` : ''}
              </span>
            </li>
          );
        })}
      </ul>
    </main>
  );
}
