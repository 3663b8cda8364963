// A signed report as the clinic and the specialist see it: read-only text, signer and time, content
// hash, addenda, PDF export; specialists of the reporting hospital may add a signed addendum.
import type { Report, Signature } from '@telemed/signaling/protocol';
import { useState } from 'react';
import { ApiError } from '../api/errors.js';
import { formatDateTime, useI18n } from '../i18n/index.js';
import { referralsApi } from '../referrals/api.js';
import './messages.js';
import { StructuredFields } from './StructuredFields.js';

function SignatureLine({ signature }: { signature: Signature }) {
  const { t } = useI18n();
  return (
    <div className="report-signature" data-testid="report-signature">
      <div>
        {t('reports.signedBy', { name: signature.displayName, institution: signature.institutionName })}
      </div>
      <div>{t('reports.signedAt', { time: formatDateTime(signature.signedAt) })}</div>
      <div className="report-hash">{t('reports.hash', { hash: signature.contentHash })}</div>
    </div>
  );
}

export function ReportView(props: {
  referralId: string;
  report: Report;
  modality: string | undefined;
  canAmend: boolean;
  onChanged: (report: Report) => void;
}) {
  const { t } = useI18n();
  const { report } = props;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const exportPdf = async () => {
    setError(null);
    try {
      const blob = await referralsApi.pdf(props.referralId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `report-${props.referralId}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(ApiError.from(err).message);
    }
  };

  const addAddendum = async () => {
    setBusy(true);
    setError(null);
    try {
      const { report: updated } = await referralsApi.addAddendum(props.referralId, text.trim());
      setText('');
      props.onChanged(updated);
    } catch (err) {
      setError(ApiError.from(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card report-view" data-testid="report-signed" data-report-id={report.id}>
      <div className="card-head">
        <h2>{t('reports.title')}</h2>
        <button
          type="button"
          className="btn"
          data-testid="report-export-pdf"
          onClick={() => void exportPdf()}
        >
          {t('reports.exportPdf')}
        </button>
      </div>
      <p className="report-immutable" data-testid="report-immutable-note">
        {t('reports.immutable')}
      </p>
      <h3>{t('reports.findings')}</h3>
      <p className="report-body" data-testid="report-findings-signed">
        {report.findings}
      </p>
      <StructuredFields modality={props.modality} values={report.fields} />
      <h3>{t('reports.impression')}</h3>
      <p className="report-body" data-testid="report-impression-signed">
        {report.impression}
      </p>
      {report.signature && <SignatureLine signature={report.signature} />}
      {report.dicom && (
        <p className="report-dicom" data-testid="report-dicom">
          {report.dicom.error
            ? t('reports.dicomFailed', { message: report.dicom.error })
            : t('reports.dicomStored')}
        </p>
      )}
      {report.addenda.length > 0 && <h3>{t('reports.addenda')}</h3>}
      {report.addenda.map((a, i) => (
        <div key={a.id} className="report-addendum" data-testid="report-addendum">
          <h4>{t('reports.addendum', { n: i + 1 })}</h4>
          <p className="report-body">{a.text}</p>
          <SignatureLine signature={a.signature} />
        </div>
      ))}
      {props.canAmend && (
        <div className="addendum-form">
          <textarea
            data-testid="addendum-text"
            rows={3}
            placeholder={t('reports.addendumPlaceholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button
            type="button"
            className="btn btn-primary"
            data-testid="addendum-submit"
            disabled={busy || !text.trim()}
            onClick={() => void addAddendum()}
          >
            {t('reports.addAddendum')}
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="report-error">
          {error}
        </p>
      )}
    </section>
  );
}
