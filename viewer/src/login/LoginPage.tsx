import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors.js';
import { auth } from '../app/services.js';

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('Enter your username and password');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Success changes the session; App then renders the page the URL asks for.
      await auth.login(username.trim(), password);
    } catch (err) {
      const e = ApiError.from(err);
      setError(e.code === 'UNAUTHORIZED' ? 'Invalid username or password' : e.message);
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="card login-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1 className="login-title">
          <span className="brand-mark" aria-hidden="true">
            +
          </span>
          Telemed Consult
        </h1>
        <p className="muted">Remote consultation between clinics, ambulances and specialists.</p>
        <label className="field">
          <span>Username</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
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
        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button
          className="btn btn-primary btn-block"
          type="submit"
          data-testid="login-submit"
          disabled={busy}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
