import type { LoginRequest, Me } from '@aviary/contracts';
import { useState } from 'react';
import { useLogin } from '../../api/auth.ts';
import { clearSignInNotice, peekSignInNotice } from '../../api/signInNotice.ts';
import { PasswordForm } from './PasswordForm.tsx';
import { TokenForm } from './TokenForm.tsx';
import { ErrorState } from '../../components/StatusMessage.tsx';

type Mode = 'password' | 'token';

/**
 * Sign in with a username and password, or with a token. Shown in place of any page while
 * nobody is signed in (the address stays, so a deep link opens once signed in), and at /sign-in.
 */
export function SignInPage({ onSignedIn }: { onSignedIn?: (me: Me) => void }) {
  const [mode, setMode] = useState<Mode>('password');
  const [notice] = useState(peekSignInNotice);
  const login = useLogin();
  // mutateAsync: the page unmounts as soon as the session exists, and this must still run.
  const signIn = (body: LoginRequest) =>
    login.mutateAsync(body).then(
      (me: Me) => {
        clearSignInNotice();
        onSignedIn?.(me);
      },
      () => undefined, // shown from login.error
    );

  return (
    <div className="sign-in">
      <h1>Sign in to Aviary</h1>
      {notice && !login.error ? (
        <p className="status status-warn" role="status">
          {notice}
        </p>
      ) : null}
      {mode === 'password' ? (
        <PasswordForm
          pending={login.isPending}
          onSubmit={(username, password) => void signIn({ username, password })}
        />
      ) : (
        <TokenForm pending={login.isPending} onSubmit={(token) => void signIn({ token })} />
      )}
      {login.error ? <ErrorState error={login.error} /> : null}
      <p>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            login.reset();
            setMode(mode === 'password' ? 'token' : 'password');
          }}
        >
          {mode === 'password' ? 'Sign in with a token instead' : 'Sign in with a username and password'}
        </button>
      </p>
      <p className="muted">No account? Ask an Aviary admin to create one for you.</p>
    </div>
  );
}
