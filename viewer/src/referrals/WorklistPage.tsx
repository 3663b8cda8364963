// `/worklist`: the specialist's worklist (filter by urgency, modality, status; claim; open the images;
// start a consult room with the referring clinician) and "my referrals" (what my institution sent,
// with its status, live). Clinicians land on "my referrals", specialists on the worklist.
import type { Referral, ReferralQuery, ReferralStatus, Session, Urgency } from '@telemed/signaling/protocol';
import { ReferralStatuses, Urgencies } from '@telemed/signaling/protocol';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/errors.js';
import type { SignalingClient } from '../api/signaling.js';
import { linkHandler, navigate } from '../app/navigation.js';
import { roomPath, studyPath } from '../app/routes.js';
import { api } from '../app/services.js';
import { formatDateTime, useI18n } from '../i18n/index.js';
import { referralsApi } from './api.js';
import { NEW_REFERRAL_PATH, referralPath } from './paths.js';
import { StatusBadge, UrgencyBadge } from './ReferralBadges.js';
import { useReferralUpdates } from './useReferralUpdates.js';

const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'ECG'];

type View = 'worklist' | 'mine';

export function WorklistPage({ session, signaling }: { session: Session; signaling: SignalingClient }) {
  const { t, locale } = useI18n();
  const me = session.user;
  const [view, setView] = useState<View>(me.role === 'specialist' ? 'worklist' : 'mine');
  const [urgency, setUrgency] = useState<Urgency | ''>('');
  const [modality, setModality] = useState('');
  const [status, setStatus] = useState<ReferralStatus | ''>('');
  const [rows, setRows] = useState<Referral[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    const query: ReferralQuery = {
      view,
      ...(urgency ? { urgency } : {}),
      ...(modality ? { modality } : {}),
      ...(status ? { status } : {}),
    };
    referralsApi
      .list(query)
      .then((r) => {
        setRows(r.referrals);
        setError(null);
      })
      .catch((err: unknown) => setError(ApiError.from(err).message));
  }, [view, urgency, modality, status]);

  useEffect(load, [load]);
  useReferralUpdates(signaling, load);

  const run = async (id: string, job: () => Promise<void>) => {
    setBusy(id);
    setError(null);
    try {
      await job();
    } catch (err) {
      setError(ApiError.from(err).message);
    } finally {
      setBusy(null);
    }
  };

  const claim = (r: Referral) => run(r.id, async () => void (await referralsApi.act(r.id, 'claim'), load()));

  /** A consult room with the referring clinician, the study attached, then into the room. */
  const startConsult = (r: Referral) =>
    run(r.id, async () => {
      const room = await api.createRoom({
        title: t('referrals.consultTitle', { question: r.clinicalQuestion.slice(0, 60) }),
        invitees: [r.referrer.id],
      });
      await referralsApi.attachStudy(room.id, r.studyInstanceUid);
      navigate(roomPath(room.id));
    });

  const canClaim = (r: Referral) =>
    r.status === 'requested' &&
    r.targetInstitutionId === me.institution.id &&
    (r.direction === 'up' ? me.role === 'specialist' : me.role === 'clinician' || me.role === 'ambulance') &&
    (!r.targetUserId || r.targetUserId === me.id);

  return (
    <main className="referrals" data-testid={view === 'worklist' ? 'worklist' : 'my-referrals'}>
      <div className="referrals-head">
        <div className="tabs" role="tablist">
          {(['worklist', 'mine'] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={view === v ? 'tab active' : 'tab'}
              data-testid={`referrals-tab-${v}`}
              onClick={() => setView(v)}
            >
              {t(v === 'worklist' ? 'referrals.worklistTitle' : 'referrals.mineTitle')}
            </button>
          ))}
        </div>
        <a
          className="btn btn-primary"
          href={NEW_REFERRAL_PATH}
          data-testid="new-referral"
          onClick={linkHandler(NEW_REFERRAL_PATH)}
        >
          {t('referrals.newReferral')}
        </a>
      </div>
      <div className="referral-filters">
        <label>
          {t('referrals.filterUrgency')}
          <select
            data-testid="worklist-filter-urgency"
            value={urgency}
            onChange={(e) => setUrgency(e.target.value as Urgency | '')}
          >
            <option value="">{t('referrals.all')}</option>
            {Urgencies.map((u) => (
              <option key={u} value={u}>
                {t(`referrals.urgency_${u}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('referrals.filterModality')}
          <select
            data-testid="worklist-filter-modality"
            value={modality}
            onChange={(e) => setModality(e.target.value)}
          >
            <option value="">{t('referrals.all')}</option>
            {MODALITIES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('referrals.filterStatus')}
          <select
            data-testid="worklist-filter-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as ReferralStatus | '')}
          >
            <option value="">{t('referrals.all')}</option>
            {ReferralStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`referrals.status_${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-quiet" onClick={load}>
          {t('referrals.refresh')}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="referrals-error">
          {error}
        </p>
      )}
      {rows === null ? (
        <p>{t('referrals.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="empty">{t('referrals.empty')}</p>
      ) : (
        <ul className="referral-list">
          {rows.map((r) => (
            <li
              key={r.id}
              className={`referral-row urgency-row-${r.urgency}`}
              data-testid={`referral-row-${r.id}`}
              data-status={r.status}
            >
              <div className="referral-main">
                <div className="referral-badges">
                  <UrgencyBadge urgency={r.urgency} />
                  <span className="badge">{t(`referrals.direction_${r.direction}`)}</span>
                  {r.modality && <span className="badge modality">{r.modality}</span>}
                  <StatusBadge referral={r} />
                </div>
                <a
                  className="referral-question"
                  href={referralPath(r.id)}
                  onClick={linkHandler(referralPath(r.id))}
                >
                  {r.clinicalQuestion}
                </a>
                <div className="referral-meta">
                  {r.referrer.institutionName} → {r.targetInstitutionName}
                  {r.targetDepartment ? ` · ${t(`referrals.dept_${r.targetDepartment}`)}` : ''} ·{' '}
                  {formatDateTime(r.createdAt, locale)}
                  {r.claimedBy ? ` · ${t('referrals.claimedBy', { name: r.claimedBy.displayName })}` : ''}
                </div>
              </div>
              <div className="referral-actions">
                {canClaim(r) && (
                  <button
                    type="button"
                    className="btn btn-primary"
                    data-testid={`claim-${r.id}`}
                    disabled={busy === r.id}
                    onClick={() => void claim(r)}
                  >
                    {t('referrals.claim')}
                  </button>
                )}
                <a
                  className="btn"
                  href={studyPath(r.studyInstanceUid)}
                  data-testid={`open-study-${r.id}`}
                  onClick={linkHandler(studyPath(r.studyInstanceUid))}
                >
                  {t('referrals.openStudy')}
                </a>
                {me.role === 'specialist' && r.claimedBy?.id === me.id && (
                  <button
                    type="button"
                    className="btn"
                    data-testid={`start-consult-${r.id}`}
                    disabled={busy === r.id}
                    onClick={() => void startConsult(r)}
                  >
                    {t('referrals.startConsult')}
                  </button>
                )}
                <a
                  className="btn"
                  href={referralPath(r.id)}
                  data-testid={`open-referral-${r.id}`}
                  onClick={linkHandler(referralPath(r.id))}
                >
                  {t('referrals.openReferral')}
                </a>
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
