import { type FormEvent, useState } from 'react';

/** Username and password; the parent signs in with them. */
export function PasswordForm({
  pending,
  onSubmit,
}: {
  pending: boolean;
  onSubmit: (username: string, password: string) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(username.trim(), password);
  };
  return (
    <form className="form sign-in-form" onSubmit={submit} aria-label="Sign in with a password">
      <div className="field">
        <label htmlFor="s-username">Username</label>
        <input
          id="s-username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="username"
          required
        />
      </div>
      <div className="field">
        <label htmlFor="s-password">Password</label>
        <input
          id="s-password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
      </div>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
