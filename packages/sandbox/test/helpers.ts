/** A Kubernetes REST call against the sandbox API server. */
export async function kube(
  api: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Kubernetes JSON.
): Promise<{ status: number; body: any }> {
  const res = await fetch(api + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** One number from an instant query; NaN when Prometheus has no series for it. */
export async function promScalar(prom: string, query: string): Promise<number> {
  const res = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(query)}`);
  const json = (await res.json()) as {
    status: string;
    error?: string;
    data: { result: { value: [number, string] }[] };
  };
  if (json.status !== 'success') throw new Error(`prometheus: ${json.error}`);
  const first = json.data.result[0];
  return first ? Number(first.value[1]) : Number.NaN;
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
