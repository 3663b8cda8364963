import { useI18n } from '../i18n/index.js';

const KEYS: Array<[string, string]> = [
  ['↑ ↓ / PgUp PgDn', 'key.scroll'],
  ['Home / End', 'key.page'],
  ['W P Z L A E R B', 'key.tools'],
  ['I', 'key.invert'],
  ['H / V', 'key.flip'],
  ['O', 'key.rotate'],
  ['Esc / 0', 'key.reset'],
  ['Space', 'key.cine'],
  ['1 … 9', 'key.presets'],
  ['?', 'key.help'],
];

export function HelpPopover({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div className="iv-help" role="dialog" data-testid="shortcut-help" onClick={onClose}>
      <dl>
        {KEYS.map(([keys, msg]) => (
          <div key={msg}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{t(`imaging.${msg}`)}</dd>
          </div>
        ))}
      </dl>
      <p>{t('imaging.key.mouse')}</p>
    </div>
  );
}
