/** The dashboard's pages and their paths; pure so deep links are tested without a browser. */
export type Route =
  | { name: 'overview' }
  | { name: 'rollout'; id: string }
  | { name: 'history' }
  | { name: 'targets' }
  | { name: 'new'; namespace?: string; service?: string }
  | { name: 'sign-in' }
  | { name: 'audit' }
  | { name: 'settings' }
  | { name: 'setup' }
  | { name: 'not-found'; path: string };

export function matchRoute(pathname: string, search = ''): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(search);
  if (path === '/') return { name: 'overview' };
  if (path === '/history') return { name: 'history' };
  if (path === '/targets') return { name: 'targets' };
  if (path === '/sign-in') return { name: 'sign-in' };
  if (path === '/audit') return { name: 'audit' };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/setup') return { name: 'setup' };
  if (path === '/new') {
    const namespace = query.get('namespace') ?? undefined;
    const service = query.get('service') ?? undefined;
    return { name: 'new', ...(namespace ? { namespace } : {}), ...(service ? { service } : {}) };
  }
  const rollout = /^\/rollouts\/([^/]+)$/.exec(path);
  if (rollout?.[1]) return { name: 'rollout', id: decodeURIComponent(rollout[1]) };
  return { name: 'not-found', path };
}

export const hrefs = {
  overview: () => '/',
  history: () => '/history',
  targets: () => '/targets',
  signIn: () => '/sign-in',
  audit: () => '/audit',
  settings: () => '/settings',
  setup: () => '/setup',
  newRollout: (namespace?: string, service?: string) =>
    namespace && service
      ? `/new?namespace=${encodeURIComponent(namespace)}&service=${encodeURIComponent(service)}`
      : '/new',
  rollout: (id: string, at?: string) =>
    `/rollouts/${encodeURIComponent(id)}${at ? `?at=${encodeURIComponent(at)}` : ''}`,
};
