/**
 * What `npm start` prints. A configured AVIARY_ADMIN_TOKEN is never printed (it may sit in a
 * shared terminal or a CI log); only a token generated for this run is, since nobody else knows it.
 */
export function startBanner(opts: {
  url: string;
  adminToken: string;
  configured: boolean;
  sandbox?: { apiServer: string; kubeconfig: string; prometheus: string | null };
}): string {
  const token = opts.configured ? '$AVIARY_ADMIN_TOKEN' : opts.adminToken;
  const link = opts.configured
    ? `${opts.url}/   (sign in with AVIARY_ADMIN_TOKEN)`
    : `${opts.url}/#token=${token}   (the link signs you in)`;
  const cluster = opts.sandbox
    ? `
  cluster    ${opts.sandbox.apiServer}   kubeconfig ${opts.sandbox.kubeconfig}
  Prometheus ${opts.sandbox.prometheus}`
    : '';
  return `
Aviary is running${opts.sandbox ? ' on the sandbox' : ''}.
  dashboard  ${link}
  API        ${opts.url}   (reference: ${opts.url}/api/docs)
  token      ${opts.configured ? '(AVIARY_ADMIN_TOKEN)' : token}${cluster}
Try: curl -s -H "Authorization: Bearer ${token}" ${opts.url}/api/v1/targets
Stop with Ctrl-C.`;
}
