import type { Me } from '@aviary/contracts';
import { ThemeToggle } from '../../components/ThemeToggle.tsx';
import { SignInPage } from './SignInPage.tsx';

/** Nobody signed in and anonymous read off: only the sign-in page, at whatever address was asked. */
export function SignedOutShell({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  return (
    <>
      <header className="app-header">
        <span className="brand">Aviary</span>
        <div className="header-tools">
          <ThemeToggle />
        </div>
      </header>
      <main id="main">
        <SignInPage onSignedIn={onSignedIn} />
      </main>
    </>
  );
}
