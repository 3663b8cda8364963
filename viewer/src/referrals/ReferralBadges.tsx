import type { Referral } from '@telemed/signaling/protocol';
import { useI18n } from '../i18n/index.js';

export function UrgencyBadge({ urgency }: { urgency: Referral['urgency'] }) {
  const { t } = useI18n();
  return <span className={`badge urgency-${urgency}`}>{t(`referrals.urgency_${urgency}`)}</span>;
}

export function StatusBadge({ referral }: { referral: Referral }) {
  const { t } = useI18n();
  return (
    <span
      className={`badge status-${referral.status}`}
      data-testid={`referral-status-${referral.id}`}
      data-status={referral.status}
    >
      {t(`referrals.status_${referral.status}`)}
    </span>
  );
}
