import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors.js';
import { auth } from '../app/services.js';
import { describeError } from '../i18n/errors.js';
import { useI18n } from '../i18n/index.js';
import { LocaleSwitch } from '../layout/LocaleSwitch.js';
import './messages.js';

// Errors are kept as what happened, not as text, so a language switch re-words a shown error.
type LoginError = { kind: 'missing' } | { kind: 'invalid' } | { kind: 'api'; code: string; message: string };

export function LoginPage() {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<LoginError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError({ kind: 'missing' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Success changes the session; App then renders the page the URL asks for.
      await auth.login(username.trim(), password);
    } catch (err) {
      const e = ApiError.from(err);
      setError(
        e.code === 'UNAUTHORIZED' ? { kind: 'invalid' } : { kind: 'api', code: e.code, message: e.message },
      );
      setBusy(false);
    }
  };

  const errorText =
    error?.kind === 'missing'
      ? t('login.missingFields')
      : error?.kind === 'invalid'
        ? t('login.invalidCredentials')
        : error
          ? describeError(error)
          : null;

  return (
    <main className="login-page">
      <div className="login-locale">
        <LocaleSwitch />
      </div>
      <form className="card login-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1 className="login-title">
          <span className="brand-mark" aria-hidden="true">
            +
          </span>
          {t('login.title')}
        </h1>
        <p className="muted">{t('login.subtitle')}</p>
        <label className="field">
          <span>{t('login.username')}</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {errorText && (
          <p className="form-error" role="alert" data-testid="login-error">
            {errorText}
          </p>
        )}
        <button
          className="btn btn-primary btn-block"
          type="submit"
          data-testid="login-submit"
          disabled={busy}
        >
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
