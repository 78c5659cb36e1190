import type { StreamStatus } from '../api/stream.ts';
import type { Capability } from '../auth/permissions.ts';
import { useAccess } from '../auth/useAccess.ts';
import { Link } from '../router/Link.tsx';
import { hrefs } from '../router/routes.ts';
import { SessionControl } from './SessionControl.tsx';
import { StreamIndicator } from './StreamIndicator.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';

const links: { href: string; label: string; needs?: Capability }[] = [
  { href: hrefs.overview(), label: 'Overview' },
  { href: hrefs.history(), label: 'History' },
  { href: hrefs.targets(), label: 'Targets' },
  { href: hrefs.newRollout(), label: 'Start a canary' },
  { href: hrefs.audit(), label: 'Audit', needs: 'audit' },
  { href: hrefs.settings(), label: 'Settings', needs: 'settings' },
];

export function AppHeader({ stream, pathname }: { stream: StreamStatus; pathname: string }) {
  const access = useAccess();
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        Aviary
      </Link>
      <nav aria-label="Main">
        {links
          .filter((l) => !l.needs || access.can(l.needs))
          .map((l) => (
            <Link key={l.href} to={l.href} aria-current={pathname === l.href ? 'page' : undefined}>
              {l.label}
            </Link>
          ))}
      </nav>
      <div className="header-tools">
        <StreamIndicator status={stream} />
        <SessionControl />
        <ThemeToggle />
      </div>
    </header>
  );
}
