import { linkHandler, usePath } from '../app/navigation.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../app/services.js';
import { activeNavItem, navItemsFor } from './nav.js';
import './messages.js';

export function NavBar() {
  const { t } = useI18n();
  const active = activeNavItem(usePath());
  const items = navItemsFor(useSession()?.user);
  return (
    <nav className="app-nav" aria-label={t('shell.navLabel')}>
      {items.map((item) => (
        <a
          key={item.path}
          href={item.path}
          className={item === active ? 'nav-link active' : 'nav-link'}
          aria-current={item === active ? 'page' : undefined}
          data-testid={item.testId}
          onClick={linkHandler(item.path)}
        >
          {t(item.labelKey)}
        </a>
      ))}
    </nav>
  );
}
