// `referralUpdated` to the user channels of everyone concerned. Socket.IO rooms reach a user's sockets
// on every node when the Redis adapter is on, so no inter-node relay is needed (unlike live calls).
import type { ReferralUpdated } from '../protocol/index.js';
import { userChannel } from '../socket/channels.js';
import type { TelemedServer } from '../socket/types.js';

export interface ReferralNotifier {
  referralUpdated(userIds: readonly string[], update: ReferralUpdated): void;
}

export function socketReferralNotifier(io: TelemedServer): ReferralNotifier {
  return {
    referralUpdated(userIds, update) {
      const channels = [...new Set(userIds)].map(userChannel);
      if (channels.length > 0)
        io.to(channels).emit('notification', { method: 'referralUpdated', data: update });
    },
  };
}
