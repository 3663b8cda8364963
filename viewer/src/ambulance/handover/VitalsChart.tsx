import { DEFAULT_ALARM_THRESHOLDS as TH, type VitalsSample } from '@telemed/signaling/protocol';
import { useI18n } from '../../i18n/index.js';
import { formatClock } from '../shared/labels.js';

interface Series {
  key: 'hr' | 'spo2' | 'nibp';
  value(v: VitalsSample): number | undefined;
  limits: number[];
  isAlarm(value: number): boolean;
}

const SERIES: Series[] = [
  {
    key: 'hr',
    value: (v) => v.hr,
    limits: [TH.hrBelow, TH.hrAbove],
    isAlarm: (x) => x < TH.hrBelow || x > TH.hrAbove,
  },
  { key: 'spo2', value: (v) => v.spo2, limits: [TH.spo2Below], isAlarm: (x) => x < TH.spo2Below },
  { key: 'nibp', value: (v) => v.nibp?.sys, limits: [TH.sbpBelow], isAlarm: (x) => x < TH.sbpBelow },
];
const W = 400;
const H = 90;
const PAD = 6;

/**
 * HR, SpO2 and systolic pressure over the transport as small line charts with their alarm limits
 * dashed; samples beyond a limit are drawn as red squares (shape as well as colour). Plain SVG: it
 * prints as it shows.
 */
export function VitalsCharts({ vitals }: { vitals: VitalsSample[] }) {
  const { t } = useI18n();
  if (vitals.length < 2) return null;
  const t0 = vitals[0]!.t;
  const t1 = Math.max(t0 + 1, vitals.at(-1)!.t);
  const x = (tt: number) => PAD + ((tt - t0) / (t1 - t0)) * (W - 2 * PAD);
  return (
    <div className="amb-charts" data-testid="handover-charts">
      {SERIES.map((s) => {
        const points = vitals.flatMap((v) => {
          const value = s.value(v);
          return value === undefined ? [] : [{ t: v.t, value }];
        });
        if (points.length === 0) return null;
        const values = [...points.map((p) => p.value), ...s.limits];
        const lo = Math.min(...values) - 5;
        const hi = Math.max(...values) + 5;
        const y = (v: number) => PAD + ((hi - v) / (hi - lo)) * (H - 2 * PAD);
        return (
          <figure key={s.key} className="amb-chart">
            <figcaption>
              {t(`ambulance.${s.key}`)} · {formatClock(t0)}–{formatClock(t1)}
            </figcaption>
            <svg
              viewBox={`0 0 ${W} ${H}`}

              role="img"
              aria-label={t(`ambulance.${s.key}`)}
            >
              {s.limits.map((l) => (
                <line key={l} x1={PAD} x2={W - PAD} y1={y(l)} y2={y(l)} className="amb-chart-limit" />
              ))}
              <polyline
                className="amb-chart-line"
                points={points.map((p) => `${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
              />
              {points
                .filter((p) => !s.isAlarm(p.value))
                .map((p) => (
                  <circle key={p.t} cx={x(p.t)} cy={y(p.value)} r={2.5} className="amb-chart-point" />
                ))}
              {points
                .filter((p) => s.isAlarm(p.value))
                .map((p) => (
                  <rect
                    key={p.t}
                    x={x(p.t) - 3}
                    y={y(p.value) - 3}
                    width={6}
                    height={6}
                    className="amb-chart-alarm"
                  />
                ))}
            </svg>
          </figure>
        );
      })}
    </div>
  );
}
