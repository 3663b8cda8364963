// The specialist's report editor: findings, impression and the modality's structured fields, saved
// as a draft while typing; signing (after an on-page confirmation, usable by touch) freezes it.
import type { Report, ReportDraft } from '@telemed/signaling/protocol';
import { useState } from 'react';
import { ApiError } from '../api/errors.js';
import { useI18n } from '../i18n/index.js';
import { referralsApi } from '../referrals/api.js';
import './messages.js';
import { StructuredFields } from './StructuredFields.js';
import { useAutosave } from './useAutosave.js';

interface Content {
  findings: string;
  impression: string;
  fields: Record<string, string>;
}

export function ReportEditor(props: {
  referralId: string;
  modality: string | undefined;
  draft: Report | null;
  onSigned: (report: Report) => void;
}) {
  const { t } = useI18n();
  const [content, setContent] = useState<Content>({
    findings: props.draft?.findings ?? '',
    impression: props.draft?.impression ?? '',
    fields: props.draft?.fields ?? {},
  });
  const [confirming, setConfirming] = useState(false);
  const [signing, setSigning] = useState(false);
  const [signError, setSignError] = useState<string | null>(null);
  const autosave = useAutosave<ReportDraft>(async (draft) => {
    await referralsApi.saveDraft(props.referralId, draft);
  });

  const update = (next: Content) => {
    setContent(next);
    // Empty structured values are not sent: the server checks the rest against the catalogue.
    const fields = Object.fromEntries(Object.entries(next.fields).filter(([, v]) => v !== ''));
    autosave.change({ findings: next.findings, impression: next.impression, fields });
  };

  const sign = async () => {
    setSigning(true);
    setSignError(null);
    try {
      await autosave.flush();
      const { report } = await referralsApi.sign(props.referralId);
      props.onSigned(report);
    } catch (err) {
      setSignError(ApiError.from(err).message);
      setConfirming(false);
    } finally {
      setSigning(false);
    }
  };

  const saveLabel =
    autosave.state === 'saving'
      ? t('reports.saving')
      : autosave.state === 'dirty'
        ? t('reports.unsaved')
        : autosave.state === 'error'
          ? t('reports.saveFailed', { message: autosave.error ?? '' })
          : t('reports.saved');
  const nothingWritten = !content.findings.trim() && !content.impression.trim();

  return (
    <section className="card report-editor" data-testid="report-editor">
      <div className="card-head">
        <h2>{t('reports.title')}</h2>
        <span
          className={`save-state save-${autosave.state}`}
          data-testid="report-save-state"
          data-state={autosave.state}
        >
          {saveLabel}
        </span>
      </div>
      <label className="report-text">
        <span>{t('reports.findings')}</span>
        <textarea
          data-testid="report-findings"
          rows={8}
          value={content.findings}
          onChange={(e) => update({ ...content, findings: e.target.value })}
        />
      </label>
      <StructuredFields
        modality={props.modality}
        values={content.fields}
        onChange={(key, value) => update({ ...content, fields: { ...content.fields, [key]: value } })}
      />
      <label className="report-text">
        <span>{t('reports.impression')}</span>
        <textarea
          data-testid="report-impression"
          rows={4}
          value={content.impression}
          onChange={(e) => update({ ...content, impression: e.target.value })}
        />
      </label>
      {signError && (
        <p className="form-error" role="alert" data-testid="report-error">
          {signError}
        </p>
      )}
      {confirming ? (
        <div className="sign-confirm" role="alertdialog">
          <p>{t('reports.signConfirm')}</p>
          <button
            type="button"
            className="btn btn-primary"
            data-testid="report-sign-confirm"
            disabled={signing}
            onClick={() => void sign()}
          >
            {signing ? t('reports.signing') : t('reports.sign')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={() => setConfirming(false)}>
            {t('referrals.cancel')}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="btn btn-primary"
          data-testid="report-sign"
          disabled={nothingWritten}
          onClick={() => setConfirming(true)}
        >
          {t('reports.sign')}
        </button>
      )}
    </section>
  );
}
