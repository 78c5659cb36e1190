import { useAccess } from '../../auth/useAccess.ts';
import { Link } from '../../router/Link.tsx';
import { hrefs } from '../../router/routes.ts';

/** Leads an admin on a fresh install to create the first user. */
export function SetupBanner({ pathname }: { pathname: string }) {
  const { me, can } = useAccess();
  if (!me?.setupRequired || !can('users') || pathname === hrefs.setup()) return null;
  return (
    <div className="banner banner-warning" role="note">
      No users exist yet. <Link to={hrefs.setup()}>Create the first admin</Link> so actions are attributed to
      a person, not the bootstrap token.
    </div>
  );
}
