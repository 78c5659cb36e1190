import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions, request as httpsRequest } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { defaultKubeTimeoutMs } from './timeout.ts';

/** How long client-node's authentication, once applied, is reused (client-node re-reads token files once a minute). */
const authReuseMs = 10_000;

/**
 * One JSON request to the API server on a kept-alive connection, authenticated exactly as
 * client-node would (`applyToHTTPSOptions`: CA, client certs, bearer or exec tokens). Used for
 * the write a rollback waits on, where client-node's own per-call overhead is most of the
 * latency. Failures are client-node's `ApiException`, so retries and messages work as usual.
 *
 * The applied authentication is reused for a few seconds; a 401 drops it and the request is
 * sent once more with credentials applied afresh (an exec plugin's token may have expired).
 */
export class LeanHttp {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 8 });
  private auth: { opts: RequestOptions; basePath: string; secure: boolean; until: number } | undefined;

  constructor(
    private readonly config: KubeConfig,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = defaultKubeTimeoutMs,
  ) {}

  async json<T>(method: 'PUT' | 'GET', path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    try {
      return await this.send<T>(method, path, payload);
    } catch (err) {
      if (!(err instanceof ApiException) || err.code !== 401 || this.auth === undefined) throw err;
      this.auth = undefined;
      return this.send<T>(method, path, payload);
    }
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** The server's address and client-node's authentication, as request options. */
  private async authenticated(): Promise<NonNullable<LeanHttp['auth']>> {
    if (this.auth && this.now() < this.auth.until) return this.auth;
    const server = this.config.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(server);
    const opts: RequestOptions = {
      headers: {},
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
    };
    await this.config.applyToHTTPSOptions(opts);
    this.auth = {
      opts,
      basePath: url.pathname.replace(/\/$/, ''),
      secure: url.protocol === 'https:',
      until: this.now() + authReuseMs,
    };
    return this.auth;
  }

  private async send<T>(method: 'PUT' | 'GET', path: string, payload: string | undefined): Promise<T> {
    const { opts, basePath, secure } = await this.authenticated();
    const request = secure ? httpsRequest : httpRequest;
    const headers = {
      ...opts.headers,
      accept: 'application/json',
      ...(payload ? { 'content-type': 'application/json' } : {}),
    };
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          ...opts,
          path: `${basePath}/${path}`,
          method,
          headers,
          agent: secure ? this.httpsAgent : this.httpAgent,
          // The whole exchange, body included, is bounded: an API server that never answers
          // fails the write instead of hanging the rollback waiting on it.
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(JSON.parse(text) as T);
              } catch (err) {
                reject(err);
              }
              return;
            }
            reject(new ApiException(status, `HTTP ${status}`, text, res.headers as Record<string, string>));
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err) =>
        reject(
          err.name === 'AbortError' || err.name === 'TimeoutError'
            ? new Error(`the Kubernetes API did not answer ${method} ${path} within ${this.timeoutMs} ms`)
            : err,
        ),
      );
      req.end(payload);
    });
  }
}
