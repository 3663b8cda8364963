import { useState, type FormEvent } from 'react';
import { MAX_CANCEL_REASON_CHARS } from '@telemed/signaling/protocol';
import { ApiError } from '../../api/errors.js';
import { describeError } from '../../i18n/errors.js';
import { useI18n } from '../../i18n/index.js';
import { crewApi } from './crewApi.js';
import './messages.js';

/**
 * Calling the run off, behind a confirm step (a stray tap on a moving ambulance's tablet must not
 * drop the run from the hospital's board). `onCancelled` runs once the server has it.
 */
export function CancelRun({ runId, onCancelled }: { runId: string; onCancelled(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!confirming)
    return (
      <button
        type="button"
        className="btn crew-danger crew-big"
        onClick={() => setConfirming(true)}
        data-testid="crew-cancel"
      >
        {t('crew.cancelRun')}
      </button>
    );

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await crewApi.cancel(runId, reason.trim());
      onCancelled();
    } catch (err) {
      setError(describeError(ApiError.from(err), t('crew.cancelRun')));
      setBusy(false);
    }
  };

  return (
    <form
      className="card crew-card crew-cancel"
      role="alertdialog"
      aria-labelledby="crew-cancel-title"
      onSubmit={(e) => void confirm(e)}
      data-testid="crew-cancel-dialog"
    >
      <h2 id="crew-cancel-title">{t('crew.cancelTitle')}</h2>
      <p className="muted small">{t('crew.cancelHint')}</p>
      <input
        aria-label={t('crew.cancelReason')}
        placeholder={t('crew.cancelReason')}
        maxLength={MAX_CANCEL_REASON_CHARS}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="crew-cancel-reason"
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="crew-row">
        <button
          type="submit"
          className="btn crew-danger crew-big"
          disabled={busy}
          data-testid="crew-cancel-confirm"
        >
          {busy ? t('crew.cancelling') : t('crew.cancelConfirm')}
        </button>
        <button
          type="button"
          className="btn crew-big"
          disabled={busy}
          onClick={() => setConfirming(false)}
          data-testid="crew-cancel-back"
        >
          {t('crew.cancelBack')}
        </button>
      </div>
    </form>
  );
}
