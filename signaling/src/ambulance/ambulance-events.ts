// Where run changes and stored telemetry are announced: Socket.IO rooms (the board channels of the
// destination and of admins, the destination's institution channel), so that with the Redis adapter
// every node's watchers hear them. Tests pass their own sink.
import type { AmbulanceRun, Notifications, TelemetryNotification } from '../protocol/index.js';
import { BOARD_ALL_CHANNEL, boardChannel, institutionChannel } from '../socket/channels.js';
import type { TelemedServer } from '../socket/types.js';

export interface AmbulanceEvents {
  runUpdated(run: AmbulanceRun): void;
  telemetry(destinationId: string, update: TelemetryNotification): void;
  prenotification(destinationId: string, update: Notifications['prenotification']): void;
}

export function socketAmbulanceEvents(io: TelemedServer): AmbulanceEvents {
  const boards = (destinationId: string) => io.to([boardChannel(destinationId), BOARD_ALL_CHANNEL]);
  return {
    runUpdated(run) {
      boards(run.destination.id).emit('notification', { method: 'runUpdated', data: { run } });
    },
    telemetry(destinationId, update) {
      boards(destinationId).emit('notification', { method: 'telemetry', data: update });
    },
    prenotification(destinationId, update) {
      io.to(institutionChannel(destinationId)).emit('notification', {
        method: 'prenotification',
        data: update,
      });
    },
  };
}
