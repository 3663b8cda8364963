import type { Session } from '@telemed/signaling/protocol';
import { linkHandler } from '../app/navigation.js';
import { auth } from '../app/services.js';
import { useI18n } from '../i18n/index.js';
import { roleLabel } from './labels.js';
import { LocaleSwitch } from './LocaleSwitch.js';
import { NavBar } from './NavBar.js';
import './messages.js';

export function Header({ session }: { session: Session }) {
  const { t } = useI18n();
  const { user } = session;
  return (
    <header className="app-header">
      <a className="brand" href="/" onClick={linkHandler('/')}>
        <span className="brand-mark" aria-hidden="true">
          +
        </span>
        {t('shell.brand')} <span className="brand-sub">{t('shell.brandSub')}</span>
      </a>
      <NavBar />
      <div className="header-user" data-testid="current-user">
        <span className="user-name">{user.displayName}</span>
        <span className={`role-badge role-${user.role}`}>{roleLabel(user.role)}</span>
        <span className="user-institution">{user.institution.name}</span>
        <LocaleSwitch />
        <button
          type="button"
          className="btn btn-quiet"
          data-testid="logout-button"
          onClick={() => void auth.logout()}
        >
          {t('shell.logout')}
        </button>
      </div>
    </header>
  );
}
