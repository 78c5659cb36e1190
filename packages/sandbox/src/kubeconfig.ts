import { stringify } from 'yaml';

/**
 * A kubeconfig for the sandbox's plain-HTTP API server. client-node 1.x needs
 * `insecure-skip-tls-verify: true` to talk to an `http://` server at all.
 */
export function sandboxKubeconfig(server: string, namespace = 'shop'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'aviary-sandbox', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'aviary-sandbox', user: { token: 'sandbox' } }],
    contexts: [
      { name: 'aviary-sandbox', context: { cluster: 'aviary-sandbox', user: 'aviary-sandbox', namespace } },
    ],
    'current-context': 'aviary-sandbox',
    preferences: {},
  });
}
