// The modality's structured fields (CT contrast/region, ECG rhythm/rate/intervals/axis…), from the
// protocol's catalogue; labels and choices through i18n.
import { structuredFieldsFor } from '@telemed/signaling/protocol';
import { useI18n } from '../i18n/index.js';

export function StructuredFields(props: {
  modality: string | undefined;
  values: Record<string, string>;
  onChange?: (key: string, value: string) => void;
}) {
  const { t } = useI18n();
  const defs = structuredFieldsFor(props.modality);
  const readOnly = !props.onChange;
  const shown = readOnly ? defs.filter((d) => props.values[d.key]) : defs;
  if (shown.length === 0) return null;
  return (
    <fieldset className="report-fields">
      <legend>{t('reports.structured')}</legend>
      {shown.map((def) => {
        const value = props.values[def.key] ?? '';
        const label = `${t(`reports.field_${def.key}`)}${def.unit ? ` (${def.unit})` : ''}`;
        if (readOnly) {
          const shownValue = def.kind === 'select' ? t(`reports.option_${value}`) : value;
          return (
            <div key={def.key} className="report-field" data-testid={`report-field-${def.key}`}>
              <span className="report-field-label">{label}</span>
              <span>{shownValue}</span>
            </div>
          );
        }
        return (
          <label key={def.key} className="report-field">
            <span className="report-field-label">{label}</span>
            {def.kind === 'select' ? (
              <select
                data-testid={`report-field-${def.key}`}
                value={value}
                onChange={(e) => props.onChange!(def.key, e.target.value)}
              >
                <option value="">{t('reports.choose')}</option>
                {def.options?.map((o) => (
                  <option key={o} value={o}>
                    {t(`reports.option_${o}`)}
                  </option>
                ))}
              </select>
            ) : (
              <input
                data-testid={`report-field-${def.key}`}
                inputMode={def.kind === 'number' ? 'decimal' : 'text'}
                value={value}
                onChange={(e) => props.onChange!(def.key, e.target.value)}
              />
            )}
          </label>
        );
      })}
    </fieldset>
  );
}
