import { type FormEvent, useState } from 'react';

/** An API token (or the bootstrap AVIARY_ADMIN_TOKEN) instead of a password. */
export function TokenForm({ pending, onSubmit }: { pending: boolean; onSubmit: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(token.trim());
  };
  return (
    <form className="form sign-in-form" onSubmit={submit} aria-label="Sign in with a token">
      <div className="field">
        <label htmlFor="s-token">API token</label>
        <input
          id="s-token"
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoComplete="off"
          aria-describedby="s-token-help"
          required
        />
        <small id="s-token-help">
          An API token (avt_…), or the admin token <code>pnpm start</code> printed. It starts a session with
          the token's role; the token is not kept in the browser.
        </small>
      </div>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in with token'}
      </button>
    </form>
  );
}
