// Live referral changes (`referralUpdated` on the user's channel): lists and the detail page refetch
// when a referral they show changes, so the clinic sees the signed report without reloading.
import type { ReferralUpdated } from '@telemed/signaling/protocol';
import { useEffect, useRef } from 'react';
import type { SignalingClient } from '../api/signaling.js';

export function useReferralUpdates(
  signaling: SignalingClient,
  onUpdate: (update: ReferralUpdated) => void,
): void {
  const handler = useRef(onUpdate);
  handler.current = onUpdate;
  useEffect(() => signaling.on('referralUpdated', (u) => handler.current(u)), [signaling]);
}
