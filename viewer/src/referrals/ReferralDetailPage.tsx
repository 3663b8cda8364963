// `/referrals/<id>`: one referral on either side — its question, status and actions, and its report:
// the editor for the specialist who claimed it, the signed report (live, no reload) for everyone.
import type {
  Referral,
  ReferralAction,
  ReferralDetailResponse,
  Report,
  Session,
} from '@telemed/signaling/protocol';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/errors.js';
import type { SignalingClient } from '../api/signaling.js';
import { linkHandler, navigate } from '../app/navigation.js';
import { studyPath } from '../app/routes.js';
import { formatDateTime, useI18n } from '../i18n/index.js';
import { ReportEditor } from '../reports/ReportEditor.js';
import { ReportView } from '../reports/ReportView.js';
import { referralsApi } from './api.js';
import { referralPath, WORKLIST_PATH } from './paths.js';
import { StatusBadge, UrgencyBadge } from './ReferralBadges.js';
import { useReferralUpdates } from './useReferralUpdates.js';

const OPEN = ['requested', 'claimed', 'in-report'];

/** The actions this user may take (the server decides again; this only hides what would be refused). */
function actionsFor(r: Referral, me: Session['user']): ReferralAction[] {
  const receiving =
    r.direction === 'up' ? me.role === 'specialist' : me.role === 'clinician' || me.role === 'ambulance';
  const targetSide =
    r.targetInstitutionId === me.institution.id && receiving && (!r.targetUserId || r.targetUserId === me.id);
  const referringSide =
    r.referrer.id === me.id || (r.referrer.institutionId === me.institution.id && !receiving);
  const claimer = r.claimedBy?.id === me.id;
  const out: ReferralAction[] = [];
  if (r.status === 'requested' && targetSide) out.push('claim');
  if (OPEN.includes(r.status) && (claimer || (r.status === 'requested' && targetSide))) out.push('decline');
  if (OPEN.includes(r.status) && referringSide) out.push('cancel');
  if (r.direction === 'up' ? r.status === 'reported' && referringSide : r.status === 'claimed' && claimer)
    out.push('complete');
  return out;
}

export function ReferralDetailPage(props: {
  referralId: string;
  session: Session;
  signaling: SignalingClient;
}) {
  const { t, locale } = useI18n();
  const me = props.session.user;
  const [detail, setDetail] = useState<ReferralDetailResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<ReferralAction | null>(null);
  const [backText, setBackText] = useState('');

  const load = useCallback(() => {
    referralsApi
      .get(props.referralId)
      .then((d) => {
        setDetail(d);
        setError(null);
      })
      .catch((err: unknown) => setError(ApiError.from(err).message));
  }, [props.referralId]);
  useEffect(load, [load]);
  useReferralUpdates(props.signaling, (u) => {
    if (u.referral.id === props.referralId) load();
  });

  const act = async (action: ReferralAction) => {
    if ((action === 'decline' || action === 'cancel') && !reason.trim()) {
      setPending(action);
      setError(t('referrals.reasonPrompt'));
      return;
    }
    try {
      await referralsApi.act(props.referralId, action, reason.trim() || undefined);
      setPending(null);
      setReason('');
      load();
    } catch (err) {
      setError(ApiError.from(err).message);
    }
  };

  const referBack = async (r: Referral) => {
    try {
      const created = await referralsApi.create({
        studyInstanceUid: r.studyInstanceUid,
        clinicalQuestion: backText.trim(),
        urgency: 'routine',
        direction: 'down',
        targetInstitutionId: r.referrer.institutionId,
        parentId: r.id,
      });
      navigate(referralPath(created.id));
    } catch (err) {
      setError(ApiError.from(err).message);
    }
  };

  if (!detail) {
    return (
      <main className="referrals" data-testid="referral-detail" data-status="loading">
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p>{t('referrals.loading')}</p>
        )}
      </main>
    );
  }
  const { referral: r, report } = detail;
  const isClaimer = r.claimedBy?.id === me.id;
  const writing =
    r.direction === 'up' &&
    isClaimer &&
    me.role === 'specialist' &&
    (r.status === 'claimed' || r.status === 'in-report') &&
    report?.status !== 'signed';
  const setReport = (next: Report) => setDetail({ referral: r, report: next });

  return (
    <main
      className="referrals referral-detail"
      data-testid="referral-detail"
      data-status={r.status}
      data-referral-id={r.id}
    >
      <a className="back-link" href={WORKLIST_PATH} onClick={linkHandler(WORKLIST_PATH)}>
        ← {t('referrals.back')}
      </a>
      <section className="card">
        <div className="card-head">
          <h2>{t('referrals.detailTitle')}</h2>
          <div className="referral-badges">
            <UrgencyBadge urgency={r.urgency} />
            <span className="badge">{t(`referrals.direction_${r.direction}`)}</span>
            {r.modality && <span className="badge modality">{r.modality}</span>}
            <StatusBadge referral={r} />
          </div>
        </div>
        <p className="referral-question-full" data-testid="referral-question-text">
          {r.clinicalQuestion}
        </p>
        <div className="referral-meta">
          <div>
            {t('referrals.referredBy', {
              name: r.referrer.displayName,
              institution: r.referrer.institutionName,
            })}
          </div>
          <div>
            {t('referrals.addressedTo', { institution: r.targetInstitutionName })}
            {r.targetDepartment ? ` · ${t(`referrals.dept_${r.targetDepartment}`)}` : ''}
          </div>
          <div>{formatDateTime(r.createdAt, locale)}</div>
          {r.claimedBy && <div>{t('referrals.claimedBy', { name: r.claimedBy.displayName })}</div>}
          {r.reason && <div>{t('referrals.reason', { reason: r.reason })}</div>}
        </div>
        <div className="referral-actions">
          <a
            className="btn"
            href={studyPath(r.studyInstanceUid)}
            data-testid="referral-open-study"
            onClick={linkHandler(studyPath(r.studyInstanceUid))}
          >
            {t('referrals.openStudy')}
          </a>
          {actionsFor(r, me).map((a) => (
            <button
              key={a}
              type="button"
              className={a === 'claim' || a === 'complete' ? 'btn btn-primary' : 'btn'}
              data-testid={`referral-action-${a}`}
              onClick={() => void act(a)}
            >
              {t(`referrals.action_${a}`)}
            </button>
          ))}
        </div>
        {pending && (
          <input
            className="reason-input"
            data-testid="referral-reason"
            placeholder={t('referrals.reasonPrompt')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="referral-error">
            {error}
          </p>
        )}
      </section>
      {report?.status === 'signed' ? (
        <ReportView
          referralId={r.id}
          report={report}
          modality={r.modality}
          canAmend={me.role === 'specialist' && me.institution.id === r.targetInstitutionId}
          onChanged={setReport}
        />
      ) : writing ? (
        <ReportEditor
          key={r.id}
          referralId={r.id}
          modality={r.modality}
          draft={report}
          onSigned={setReport}
        />
      ) : r.direction === 'up' && OPEN.includes(r.status) ? (
        <section className="card" data-testid="report-pending">
          <p>{report ? t('reports.draftOnly') : t('reports.waiting')}</p>
        </section>
      ) : null}
      {r.direction === 'up' && isClaimer && (r.status === 'reported' || r.status === 'completed') && (
        <section className="card refer-back">
          <h3>{t('referrals.referBack')}</h3>
          <textarea
            data-testid="refer-back-text"
            rows={3}
            placeholder={t('referrals.referBackQuestion')}
            value={backText}
            onChange={(e) => setBackText(e.target.value)}
          />
          <button
            type="button"
            className="btn"
            data-testid="refer-back-submit"
            disabled={!backText.trim()}
            onClick={() => void referBack(r)}
          >
            {t('referrals.referBack')}
          </button>
        </section>
      )}
    </main>
  );
}
