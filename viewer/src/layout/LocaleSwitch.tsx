import { LOCALES, useI18n } from '../i18n/index.js';
import './messages.js';

/**
 * One tap switches between the two languages; the button names the language it switches *to*, in
 * that language, so a reader who cannot read the current one still finds it.
 */
export function LocaleSwitch() {
  const { t, locale, setLocale } = useI18n();
  const next = LOCALES.find((l) => l !== locale) ?? locale;
  return (
    <button
      type="button"
      className="btn btn-quiet locale-switch"
      data-testid="locale-switch"
      data-locale={locale}
      lang={next}
      aria-label={`${t('shell.switchLanguage')}: ${t('shell.otherLanguageName')}`}
      onClick={() => setLocale(next)}
    >
      <GlobeIcon />
      {t('shell.otherLanguageName')}
    </button>
  );
}

function GlobeIcon() {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
    </svg>
  );
}
