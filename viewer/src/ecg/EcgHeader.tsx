import { formatDateTime, formatDicomDate, formatPersonName, useI18n } from '../i18n/index.js';
import type { EcgHeaderInfo } from './meta.js';
import type { EcgWaveGroup } from './types.js';
import './messages.js';

function sexLabel(t: ReturnType<typeof useI18n>['t'], sex: string): string {
  return sex === 'M' || sex === 'F' || sex === 'O' ? t(`ecg.sex${sex}`) : sex;
}

/** Who and when (from DICOM metadata) and what (from the waveforms). */
export function EcgHeader({ info, group }: { info: EcgHeaderInfo; group: EcgWaveGroup }) {
  const { t, locale } = useI18n();
  const seconds = group.numberOfSamples / group.samplingFrequency;
  const leads = group.leads.map((l) => l.lead);
  return (
    <dl className="ecg-header" data-testid="ecg-header">
      <div>
        <dt>{t('ecg.patient')}</dt>
        <dd data-testid="ecg-patient">
          {formatPersonName(info.patientName, locale) || '—'}
          {info.patientSex ? ` · ${sexLabel(t, info.patientSex)}` : ''}
          {info.patientBirthDate ? ` · ${formatDicomDate(info.patientBirthDate, locale)}` : ''}
        </dd>
      </div>
      {info.patientId && (
        <div>
          <dt>{t('ecg.patientId')}</dt>
          <dd>{info.patientId}</dd>
        </div>
      )}
      <div>
        <dt>{t('ecg.acquired')}</dt>
        <dd data-testid="ecg-acquired">{info.acquired ? formatDateTime(info.acquired, locale) : '—'}</dd>
      </div>
      <div>
        <dt>{t('ecg.samplingRate')}</dt>
        <dd data-testid="ecg-sampling-rate">{t('ecg.samplingRateValue', { hz: group.samplingFrequency })}</dd>
      </div>
      <div>
        <dt>{t('ecg.leadSet')}</dt>
        <dd data-testid="ecg-lead-set" title={leads.join(' ')}>
          {t('ecg.leadSetValue', { count: leads.length })}
          {leads.length <= 15 ? ` (${leads.join(', ')})` : ''}
        </dd>
      </div>
      <div>
        <dt>{t('ecg.duration')}</dt>
        <dd>{t('ecg.durationValue', { s: Math.round(seconds * 100) / 100 })}</dd>
      </div>
    </dl>
  );
}
