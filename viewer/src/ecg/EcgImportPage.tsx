import { useState, type FormEvent } from 'react';
import { navigate } from '../app/navigation.js';
import { ecgPath } from '../app/routes.js';
import { useI18n } from '../i18n/index.js';
import { importEcg, isDicomFile, stowDicomEcg } from './api.js';
import './messages.js';
import './ecg.css';

type State = { name: 'idle' } | { name: 'busy' } | { name: 'error'; message: string };

/**
 * `/ecg/import`: an HL7 aECG or SCP-ECG file is converted by the bridge (POST /api/ecg/import); a
 * DICOM waveform file is stored as it is (STOW-RS). Either way the new instance opens.
 */
export function EcgImportPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ name: 'idle' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setState({ name: 'busy' });
    try {
      const sop = (await isDicomFile(file))
        ? await stowDicomEcg(file)
        : (await importEcg(file)).sopInstanceUid;
      navigate(ecgPath(sop));
    } catch (err) {
      setState({
        name: 'error',
        message: t('ecg.importFailed', { reason: err instanceof Error ? err.message : String(err) }),
      });
    }
  };

  return (
    <main className="ecg-page ecg-import" data-testid="ecg-import" data-state={state.name}>
      <h1>{t('ecg.importTitle')}</h1>
      <p className="muted">{t('ecg.importHint')}</p>
      <form onSubmit={(e) => void submit(e)} className="card ecg-import-form">
        <label>
          {t('ecg.importFile')}
          <input
            type="file"
            data-testid="ecg-import-file"
            accept=".xml,.scp,.dcm,application/xml,application/dicom"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="ecg-import-submit"
          disabled={!file || state.name === 'busy'}
        >
          {state.name === 'busy' ? t('ecg.importing') : t('ecg.importSubmit')}
        </button>
        {state.name === 'error' && (
          <p className="form-error" role="alert" data-testid="ecg-import-error">
            {state.message}
          </p>
        )}
      </form>
    </main>
  );
}
