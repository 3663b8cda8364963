import { useI18n } from '../i18n/index.js';
import type { Quality } from './stats.js';
import './messages.js';

const LABEL_KEYS: Record<Quality, string> = {
  good: 'room.qualityGood',
  fair: 'room.qualityFair',
  poor: 'room.qualityPoor',
  unknown: 'room.qualityUnknown',
};

/** Signal bars: 3 good, 2 fair, 1 poor, hollow while unknown. */
export function QualityIndicator({ quality, score }: { quality: Quality; score: number | null }) {
  const { t } = useI18n();
  const bars = quality === 'good' ? 3 : quality === 'fair' ? 2 : quality === 'poor' ? 1 : 0;
  const label = t(LABEL_KEYS[quality]);
  const title = score === null ? label : t('room.qualityScore', { label, score });
  return (
    <span
      className={`quality quality-${quality}`}
      data-testid="connection-quality"
      data-quality={quality}
      title={title}
      role="img"
      aria-label={title}
    >
      {[1, 2, 3].map((i) => (
        <span key={i} className={i <= bars ? 'bar on' : 'bar'} />
      ))}
    </span>
  );
}
