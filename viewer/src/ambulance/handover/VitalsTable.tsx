import { vitalAlarms, type AlarmKind, type VitalsSample } from '@telemed/signaling/protocol';
import { useI18n } from '../../i18n/index.js';
import { alarmLabel, formatClock } from '../shared/labels.js';

type Column = { key: string; alarms: AlarmKind[]; show(v: VitalsSample): string | null };
const COLUMNS: Column[] = [
  {
    key: 'hr',
    alarms: ['hr-high', 'hr-low'],
    show: (v) => (v.hr === undefined ? null : String(Math.round(v.hr))),
  },
  {
    key: 'spo2',
    alarms: ['spo2-low'],
    show: (v) => (v.spo2 === undefined ? null : `${Math.round(v.spo2)} %`),
  },
  {
    key: 'nibp',
    alarms: ['sbp-low'],
    show: (v) => (v.nibp ? `${Math.round(v.nibp.sys)}/${Math.round(v.nibp.dia)}` : null),
  },
  {
    key: 'rr',
    alarms: ['rr-high', 'rr-low'],
    show: (v) => (v.rr === undefined ? null : String(Math.round(v.rr))),
  },
  {
    key: 'etco2',
    alarms: ['etco2-high', 'etco2-low'],
    show: (v) => (v.etco2 === undefined ? null : String(Math.round(v.etco2))),
  },
  { key: 'temp', alarms: [], show: (v) => (v.tempC === undefined ? null : `${v.tempC.toFixed(1)} °C`) },
];

/** The downsampled vitals timeline; a value beyond its threshold is marked ⚠ with the alarm named. */
export function VitalsTable({ vitals }: { vitals: VitalsSample[] }) {
  const { t } = useI18n();
  return (
    <div className="amb-table-wrap">
      <table className="amb-table" data-testid="handover-vitals" data-rows={vitals.length}>
        <thead>
          <tr>
            <th scope="col">{t('ambulance.time')}</th>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col">
                {t(`ambulance.${c.key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {vitals.map((v) => {
            const alarms = vitalAlarms(v);
            return (
              <tr key={v.seq} data-alarm={alarms.length ? 'true' : undefined}>
                <th scope="row">{formatClock(v.t)}</th>
                {COLUMNS.map((c) => {
                  const alarm = alarms.find((a) => c.alarms.includes(a.kind));
                  return (
                    <td
                      key={c.key}
                      className={alarm ? 'amb-cell-alarm' : undefined}
                      data-alarm={alarm?.kind}
                      title={alarm ? alarmLabel(alarm.kind) : undefined}
                    >
                      {alarm && <span aria-hidden="true">⚠ </span>}
                      {c.show(v) ?? '—'}
                      {alarm && <span className="amb-sr-only"> {alarmLabel(alarm.kind)}</span>}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
