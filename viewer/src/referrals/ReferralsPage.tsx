// The referral pages behind one lazily loaded chunk: worklist / my referrals, new referral, detail.
import type { Session } from '@telemed/signaling/protocol';
import type { SignalingClient } from '../api/signaling.js';
import '../reports/messages.js';
import { NewReferralForm } from './NewReferralForm.js';
import { ReferralDetailPage } from './ReferralDetailPage.js';
import './messages.js';
import './referrals.css';
import { WorklistPage } from './WorklistPage.js';

export interface ReferralsView {
  view: 'worklist' | 'new' | 'detail';
  referralId?: string;
}

export function ReferralsPage(props: { route: ReferralsView; session: Session; signaling: SignalingClient }) {
  const { route, session, signaling } = props;
  if (route.view === 'new') return <NewReferralForm me={session.user} />;
  if (route.view === 'detail' && route.referralId)
    return (
      <ReferralDetailPage
        key={route.referralId}
        referralId={route.referralId}
        session={session}
        signaling={signaling}
      />
    );
  return <WorklistPage session={session} signaling={signaling} />;
}
