import { useI18n } from '../../i18n/index.js';
import type { QueueStatus } from './crewTelemetry.js';
import './messages.js';

/** Online or not, and how much recorded here has not reached the hospital yet. */
export function QueueBadge({ status }: { status: QueueStatus | null }) {
  const { t } = useI18n();
  const online = status?.online ?? false;
  const pending = status?.pending ?? 0;
  return (
    <div
      className={`crew-queue ${online ? 'crew-queue-online' : 'crew-queue-offline'}`}
      role="status"
      data-testid="crew-queue"
      data-online={String(online)}
      data-pending={String(pending)}
    >
      <span className="crew-queue-dot" aria-hidden />
      <strong>{online ? t('crew.online') : t('crew.offline')}</strong>
      <span>{pending > 0 ? t('crew.pending', { count: pending }) : t('crew.allSent')}</span>
      {status?.error && (
        <span className="form-error" data-testid="crew-queue-error">
          {t('crew.queueError', { message: status.error })}
        </span>
      )}
      {status?.conflict && (
        <span className="form-error" data-testid="crew-queue-conflict" data-stream={status.conflict}>
          {t('crew.queueConflict', { stream: t(`crew.stream.${status.conflict}`) })}
        </span>
      )}
    </div>
  );
}
