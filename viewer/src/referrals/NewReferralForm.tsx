// `/referrals/new`: a clinician asks a hospital for a consult on one of the clinic's studies (picked
// from QIDO-RS): clinical question, urgency, hospital, department and optionally a named specialist.
import type { Institution, Urgency, UserInfo } from '@telemed/signaling/protocol';
import { Urgencies } from '@telemed/signaling/protocol';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors.js';
import { navigate } from '../app/navigation.js';
import { api } from '../app/services.js';
import { formatDicomDate, formatPersonName, useI18n } from '../i18n/index.js';
import { referralsApi, searchStudies, type StudyChoice } from './api.js';
import { referralPath, WORKLIST_PATH } from './paths.js';

const DEPARTMENTS = ['radiology', 'cardiology', 'ultrasound', 'emergency'];

export function NewReferralForm({ me, initialStudy }: { me: UserInfo; initialStudy?: string }) {
  const { t, locale } = useI18n();
  const [studies, setStudies] = useState<StudyChoice[] | null>(null);
  const [users, setUsers] = useState<UserInfo[]>([]);
  const [study, setStudy] = useState(initialStudy ?? '');
  const [question, setQuestion] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('routine');
  const [target, setTarget] = useState('');
  const [department, setDepartment] = useState('');
  const [specialist, setSpecialist] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    searchStudies()
      .then(setStudies)
      .catch((err: unknown) => setError(ApiError.from(err).message));
    api
      .users()
      .then((r) => setUsers(r.users))
      .catch((err: unknown) => setError(ApiError.from(err).message));
  }, []);

  const hospitals = useMemo(() => {
    const byId = new Map<string, Institution>();
    for (const u of users)
      if (u.institution.kind === 'hospital' && u.institution.id !== me.institution.id)
        byId.set(u.institution.id, u.institution);
    return [...byId.values()];
  }, [users, me]);
  useEffect(() => {
    if (!target && hospitals[0]) setTarget(hospitals[0].id);
  }, [hospitals, target]);
  const specialists = users.filter((u) => u.role === 'specialist' && u.institution.id === target);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSending(true);
    setError(null);
    try {
      const chosen = studies?.find((s) => s.studyInstanceUid === study);
      const created = await referralsApi.create({
        studyInstanceUid: study,
        clinicalQuestion: question,
        urgency,
        direction: 'up',
        targetInstitutionId: target,
        ...(department ? { targetDepartment: department } : {}),
        ...(specialist ? { targetUserId: specialist } : {}),
        ...(chosen?.modalities[0] ? { modality: chosen.modalities[0] } : {}),
      });
      navigate(referralPath(created.id));
    } catch (err) {
      setError(ApiError.from(err).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <main className="referrals">
      <form className="card referral-form" data-testid="referral-form" onSubmit={(e) => void submit(e)}>
        <h2>{t('referrals.formTitle')}</h2>
        <label>
          {t('referrals.study')}
          <select
            data-testid="referral-study"
            required
            value={study}
            onChange={(e) => setStudy(e.target.value)}
          >
            <option value="">
              {studies?.length === 0 ? t('referrals.noStudies') : t('referrals.chooseStudy')}
            </option>
            {studies?.map((s) => (
              <option key={s.studyInstanceUid} value={s.studyInstanceUid}>
                {[
                  formatPersonName(s.patientName, locale),
                  s.patientId,
                  formatDicomDate(s.studyDate, locale),
                  s.modalities.join('/'),
                  s.description,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('referrals.question')}
          <textarea
            data-testid="referral-question"
            required
            rows={4}
            maxLength={2000}
            placeholder={t('referrals.questionPlaceholder')}
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
          />
        </label>
        <fieldset className="urgency-choice">
          <legend>{t('referrals.urgency')}</legend>
          {Urgencies.map((u) => (
            <label key={u} className={`urgency-option urgency-${u}`}>
              <input
                type="radio"
                name="urgency"
                data-testid={`referral-urgency-${u}`}
                checked={urgency === u}
                onChange={() => setUrgency(u)}
              />
              {t(`referrals.urgency_${u}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('referrals.target')}
          <select
            data-testid="referral-target"
            required
            value={target}
            onChange={(e) => setTarget(e.target.value)}
          >
            {hospitals.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('referrals.department')}
          <select
            data-testid="referral-department"
            value={department}
            onChange={(e) => setDepartment(e.target.value)}
          >
            <option value="">{t('referrals.departmentAny')}</option>
            {DEPARTMENTS.map((d) => (
              <option key={d} value={d}>
                {t(`referrals.dept_${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('referrals.specialist')}
          <select
            data-testid="referral-specialist"
            value={specialist}
            onChange={(e) => setSpecialist(e.target.value)}
          >
            <option value="">{t('referrals.specialistAny')}</option>
            {specialists.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="referral-error">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="referral-submit"
            disabled={sending || !study || !target}
          >
            {sending ? t('referrals.submitting') : t('referrals.submit')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={() => navigate(WORKLIST_PATH)}>
            {t('referrals.cancel')}
          </button>
        </div>
      </form>
    </main>
  );
}
