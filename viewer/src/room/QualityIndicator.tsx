import type { Quality } from './stats.js';

const LABELS: Record<Quality, string> = {
  good: 'Good connection',
  fair: 'Unstable connection',
  poor: 'Poor connection',
  unknown: 'Measuring connection…',
};

/** Signal bars: 3 good, 2 fair, 1 poor, hollow while unknown. */
export function QualityIndicator({ quality, score }: { quality: Quality; score: number | null }) {
  const bars = quality === 'good' ? 3 : quality === 'fair' ? 2 : quality === 'poor' ? 1 : 0;
  const title = score === null ? LABELS[quality] : `${LABELS[quality]} (score ${score}/10)`;
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
