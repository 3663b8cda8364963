import type { Session } from '@telemed/signaling/protocol';
import { linkHandler } from '../app/navigation.js';
import { auth } from '../app/services.js';
import { roleLabel } from './labels.js';

export function Header({ session }: { session: Session }) {
  const { user } = session;
  return (
    <header className="app-header">
      <a className="brand" href="/" onClick={linkHandler('/')}>
        <span className="brand-mark" aria-hidden="true">
          +
        </span>
        Telemed <span className="brand-sub">Consult</span>
      </a>
      <div className="header-user" data-testid="current-user">
        <span className="user-name">{user.displayName}</span>
        <span className={`role-badge role-${user.role}`}>{roleLabel(user.role)}</span>
        <span className="user-institution">{user.institution.name}</span>
        <button
          type="button"
          className="btn btn-quiet"
          data-testid="logout-button"
          onClick={() => void auth.logout()}
        >
          Log out
        </button>
      </div>
    </header>
  );
}
