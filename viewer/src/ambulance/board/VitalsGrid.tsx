import { vitalAlarms, type AlarmKind, type VitalAlarm, type VitalsSample } from '@telemed/signaling/protocol';
import { formatTime, useI18n } from '../../i18n/index.js';
import { alarmLabel } from '../shared/labels.js';

type VitalKey = 'hr' | 'spo2' | 'nibp' | 'rr' | 'etco2' | 'temp';

const ALARMS_OF: Record<VitalKey, AlarmKind[]> = {
  hr: ['hr-high', 'hr-low'],
  spo2: ['spo2-low'],
  nibp: ['sbp-low'],
  rr: ['rr-high', 'rr-low'],
  etco2: ['etco2-high', 'etco2-low'],
  temp: [],
};
const UNIT: Record<VitalKey, string> = {
  hr: '/min',
  spo2: '%',
  nibp: 'mmHg',
  rr: '/min',
  etco2: 'mmHg',
  temp: '°C',
};

function value(v: VitalsSample, key: VitalKey): string | null {
  switch (key) {
    case 'hr':
      return v.hr === undefined ? null : String(Math.round(v.hr));
    case 'spo2':
      return v.spo2 === undefined ? null : String(Math.round(v.spo2));
    case 'nibp':
      return v.nibp ? `${Math.round(v.nibp.sys)}/${Math.round(v.nibp.dia)}` : null;
    case 'rr':
      return v.rr === undefined ? null : String(Math.round(v.rr));
    case 'etco2':
      return v.etco2 === undefined ? null : String(Math.round(v.etco2));
    case 'temp':
      return v.tempC === undefined ? null : v.tempC.toFixed(1);
  }
}

/**
 * The six vital signs as monitor tiles. A value beyond its threshold is shown in red with a warning
 * sign and the alarm named in words (never by colour alone).
 */
export function VitalsGrid({
  runId,
  vitals,
  nibpAt,
}: {
  runId: string;
  vitals: VitalsSample;
  /** When the shown cuff pressure was measured, if not with the newest sample. */
  nibpAt?: number | undefined;
}) {
  const { t } = useI18n();
  const alarms = vitalAlarms(vitals);
  return (
    <dl className="amb-vitals">
      {(Object.keys(ALARMS_OF) as VitalKey[]).map((key) => {
        const alarm: VitalAlarm | undefined = alarms.find((a) => ALARMS_OF[key].includes(a.kind));
        const shown = value(vitals, key);
        return (
          <div
            key={key}
            className={alarm ? 'amb-vital amb-vital-alarm' : 'amb-vital'}
            data-testid={`ambulance-vital-${key}-${runId}`}
            data-alarm={alarm ? alarm.kind : undefined}
          >
            <dt>{t(`ambulance.${key}`)}</dt>
            <dd>
              <span className="amb-vital-value">{shown ?? '—'}</span>
              {shown !== null && <span className="amb-vital-unit">{UNIT[key]}</span>}
              {key === 'nibp' && shown !== null && nibpAt !== undefined && (
                <span className="amb-vital-when">{formatTime(nibpAt)}</span>
              )}
              {alarm && (
                <span className="amb-vital-flag">
                  <span aria-hidden="true">⚠ </span>
                  {alarmLabel(alarm.kind)}
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
