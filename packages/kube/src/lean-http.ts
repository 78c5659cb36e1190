import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions, request as httpsRequest } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

/**
 * One JSON request to the API server on a kept-alive connection, authenticated exactly as
 * client-node would (`applyToHTTPSOptions`: CA, client certs, bearer or exec tokens). Used for
 * the write a rollback waits on, where client-node's own per-call overhead is most of the
 * latency. Failures are client-node's `ApiException`, so retries and messages work as usual.
 */
export class LeanHttp {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 8 });

  constructor(private readonly config: KubeConfig) {}

  async json<T>(method: 'PUT' | 'GET', path: string, body?: unknown): Promise<T> {
    const server = this.config.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(path, server.endsWith('/') ? server : `${server}/`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const opts: RequestOptions = {
      method,
      headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
    };
    await this.config.applyToHTTPSOptions(opts);
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise<T>((resolve, reject) => {
      const req = send(url, { ...opts, agent: secure ? this.httpsAgent : this.httpAgent }, (res) => {
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
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
