import { useLogout } from '../api/auth.ts';
import { useAccess } from '../auth/useAccess.ts';
import { Link } from '../router/Link.tsx';
import { hrefs } from '../router/routes.ts';

/** Who is signed in, with which role, and a way out; for an anonymous reader, a way in. */
export function SessionControl() {
  const { me } = useAccess();
  const logout = useLogout();
  if (!me || me.via === 'anonymous') {
    return (
      <span className="session">
        <span className="session-state" title="Anonymous read-only access is on: reading needs no sign-in">
          read-only
        </span>
        <Link to={hrefs.signIn()} className="button-link">
          Sign in
        </Link>
      </span>
    );
  }
  return (
    <span className="session" data-testid="session" data-role={me.role}>
      <span className="session-state">
        {me.user ?? 'signed in'} <span className={`role role-${me.role}`}>{me.role}</span>
      </span>
      <button
        type="button"
        className="link-button"
        disabled={logout.isPending}
        onClick={() => logout.mutate()}
      >
        Sign out
      </button>
    </span>
  );
}
