import {
  type Configuration,
  type KubeConfig,
  type RequestContext,
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import fetch from 'node-fetch';

/** How long any one call to the Kubernetes API may take, the body included, unless told otherwise. */
export const defaultKubeTimeoutMs = 30_000;

/**
 * client-node 1.3's HTTP library (node-fetch) has no timeout, so an API server that accepts the
 * connection and never answers would hang the request that waits on it. This is the same
 * library through client-node's `httpApi` extension point, with an AbortSignal per call.
 */
function fetchWithTimeout(timeoutMs: number) {
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const method = request.getHttpMethod().toString();
      try {
        const res = await fetch(request.getUrl(), {
          method,
          body: request.getBody() as string | undefined,
          headers: request.getHeaders(),
          agent: request.getAgent(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Read the body now, under the same deadline, rather than when the caller asks for it.
        const buffer = await res.buffer();
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => {
          headers[name] = value;
        });
        return new ResponseContext(res.status, headers, {
          text: async () => buffer.toString('utf8'),
          binary: async () => buffer,
        });
      } catch (err) {
        if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError')
          throw new Error(
            `the Kubernetes API did not answer ${method} ${new URL(request.getUrl()).pathname} within ${timeoutMs} ms`,
          );
        throw err;
      }
    },
  });
}

/** `config.makeApiClient(Api)`, with every call bounded by `timeoutMs`. */
export function makeApiClient<T>(
  config: KubeConfig,
  Api: new (configuration: Configuration) => T,
  timeoutMs = defaultKubeTimeoutMs,
): T {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return new Api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: config },
      httpApi: fetchWithTimeout(timeoutMs),
    }),
  );
}
