// The ambulance requests of a Socket.IO connection: telemetry from crews, the arrival board for
// hospitals. Board watching is a channel subscription, so notifications reach the watcher from
// whichever node stored the telemetry.
import type { RequestData, Responses, TelemetryPush, UserInfo } from '../protocol/index.js';
import { BOARD_ALL_CHANNEL, boardChannel } from '../socket/channels.js';
import type { TelemetryService } from './telemetry-service.js';

export const AMBULANCE_METHODS = [
  'telemetry:push',
  'telemetry:resume',
  'board:watch',
  'board:unwatch',
] as const;
export type AmbulanceMethod = (typeof AMBULANCE_METHODS)[number];

export const isAmbulanceMethod = (method: string): method is AmbulanceMethod =>
  (AMBULANCE_METHODS as readonly string[]).includes(method);

/** The connection's channel subscriptions (see live/client-session.ts `Channels`). */
interface Channels {
  join(channel: string): void;
  leave(channel: string): void;
}

export class AmbulanceSocket {
  constructor(private readonly telemetry: TelemetryService) {}

  handle<M extends AmbulanceMethod>(
    user: UserInfo,
    channels: Channels,
    method: M,
    data: RequestData<M>,
  ): Responses[M] {
    switch (method) {
      case 'telemetry:push':
        // The push schema checked every item against its stream's sample schema.
        return this.telemetry.push(user, data as unknown as TelemetryPush) as Responses[M];
      case 'telemetry:resume':
        return this.telemetry.resume(user, (data as RequestData<'telemetry:resume'>).runId) as Responses[M];
      case 'board:watch': {
        const channel = user.role === 'admin' ? BOARD_ALL_CHANNEL : boardChannel(user.institution.id);
        // Refused before subscribing; subscribed before reading, so nothing stored after the read is
        // missed (a sample in both arrives twice, and a board keeps each seq once).
        this.telemetry.boardRuns(user);
        channels.join(channel);
        return { runs: this.telemetry.boardRuns(user) } as Responses[M];
      }
      case 'board:unwatch':
        channels.leave(BOARD_ALL_CHANNEL);
        channels.leave(boardChannel(user.institution.id));
        return {} as Responses[M];
    }
    throw new Error(`unhandled ambulance method ${String(method)}`);
  }
}
