import type { Me } from '@aviary/contracts';
import { useMe } from './api/auth.ts';
import { useLiveStream } from './api/useLiveStream.ts';
import { AppHeader } from './components/AppHeader.tsx';
import { RequireCapability } from './components/RequireCapability.tsx';
import { SandboxBanner } from './components/SandboxBanner.tsx';
import { Empty, ErrorState, Loading } from './components/StatusMessage.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { HistoryPage } from './features/history/HistoryPage.tsx';
import { NewRolloutPage } from './features/new-rollout/NewRolloutPage.tsx';
import { OverviewPage } from './features/overview/OverviewPage.tsx';
import { RolloutPage } from './features/rollout/RolloutPage.tsx';
import { SettingsPage } from './features/settings/SettingsPage.tsx';
import { SetupBanner } from './features/setup/SetupBanner.tsx';
import { SetupPage } from './features/setup/SetupPage.tsx';
import { SignInPage } from './features/sign-in/SignInPage.tsx';
import { SignedOutShell } from './features/sign-in/SignedOutShell.tsx';
import { TargetsPage } from './features/targets/TargetsPage.tsx';
import { navigate, useLocation } from './router/history.ts';
import { Link } from './router/Link.tsx';
import { hrefs, matchRoute } from './router/routes.ts';

/** Where to go once signed in: first-admin set-up if it is due, else stay (a deep link) or home. */
function afterSignIn(me: Me, pathname: string): void {
  if (me.setupRequired && me.role === 'admin') navigate(hrefs.setup());
  else if (pathname === hrefs.signIn()) navigate(hrefs.overview());
}

function Page({ pathname, search }: { pathname: string; search: string }) {
  const route = matchRoute(pathname, search);
  switch (route.name) {
    case 'overview':
      return <OverviewPage />;
    case 'rollout':
      return <RolloutPage key={route.id} id={route.id} at={new URLSearchParams(search).get('at')} />;
    case 'history':
      return <HistoryPage />;
    case 'targets':
      return <TargetsPage />;
    case 'new':
      return <NewRolloutPage namespace={route.namespace} service={route.service} />;
    case 'sign-in':
      return <SignInPage onSignedIn={(me) => afterSignIn(me, pathname)} />;
    case 'audit':
      return (
        <RequireCapability capability="audit">
          <AuditPage />
        </RequireCapability>
      );
    case 'settings':
      return (
        <RequireCapability capability="settings">
          <SettingsPage />
        </RequireCapability>
      );
    case 'setup':
      return (
        <RequireCapability capability="users">
          <SetupPage />
        </RequireCapability>
      );
    case 'not-found':
      return (
        <Empty>
          Nothing at {route.path}. Go to the <Link to="/">overview</Link>.
        </Empty>
      );
  }
}

export function App() {
  const me = useMe();
  const { pathname, search } = useLocation();
  const session = me.data ? `${me.data.via}:${me.data.user ?? ''}:${me.data.role}` : null;
  const stream = useLiveStream(session);
  if (me.isPending) return <Loading what="your session" />;
  if (me.isError) return <ErrorState error={me.error} retry={() => void me.refetch()} />;
  if (me.data === null) return <SignedOutShell onSignedIn={(m) => afterSignIn(m, pathname)} />;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader stream={stream} pathname={pathname} />
      <SandboxBanner />
      <SetupBanner pathname={pathname} />
      <main id="main">
        <Page pathname={pathname} search={search} />
      </main>
    </>
  );
}
