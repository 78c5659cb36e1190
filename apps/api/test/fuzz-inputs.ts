import fc from 'fast-check';

/**
 * Hostile requests for the fuzz test, as fast-check arbitraries. Everything here is something
 * an attacker or a broken client can send through an ordinary HTTP client: oversized, malformed
 * and hostile bodies, headers, query strings and path segments.
 */

export type Credential = 'none' | 'bad-token' | 'bad-cookie' | 'viewer' | 'operator';

export interface Route {
  method: string;
  /** The OpenAPI path, parameters as `{name}`. */
  path: string;
  params: string[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const hostileStrings = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '"; DROP TABLE rollouts; --',
  '__proto__',
  'constructor',
  'prototype',
  `\${7*7}`,
  '{{7*7}}',
  '=HYPERLINK("http://x")',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '9007199254740993',
  'null',
  'true',
  '[]',
  '{}',
  '😀'.repeat(50),
  '\u202e\u0301',
  'a'.repeat(5_000),
];

/** A string meant to break whatever reads it. */
export const hostileString = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** A JSON value of any shape, hostile strings included. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(hostileString, fc.constantFrom('type', 'weight', 'reason', 'role', 'name')),
      tie('value'),
      {
        maxKeys: 5,
      },
    ),
  ),
})).value;

/** Bodies that cannot be a valid request anywhere: every route that takes a body takes an object. */
export const invalidBody = fc.oneof(
  fc.constant('{"namespace":'),
  fc.constant('{"__proto__":{"role":"admin"}}'),
  fc.constant('{"constructor":{"prototype":{"role":"admin"}}}'),
  fc.constant('['.repeat(10_000)),
  fc.constant(`"${'x'.repeat(300 * 1024)}"`),
  fc.constant(`{"reason":"${'x'.repeat(300 * 1024)}"}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .oneof(fc.array(jsonValue, { maxLength: 5 }), hostileString, fc.double(), fc.constant(null))
    .map((v) => JSON.stringify(v)),
);

/** Any body at all, including well-formed objects that might be valid. */
export const anyBody = fc.oneof(
  invalidBody,
  fc
    .dictionary(
      fc.constantFrom('type', 'weight', 'reason', 'namespace', 'service', 'image', 'name', 'role'),
      jsonValue,
    )
    .map((v) => JSON.stringify(v)),
  fc
    .record({
      type: fc.constantFrom('step', 'pause', 'resume', 'promote', 'rollback', 'set-weight'),
      weight: fc.integer({ min: -5, max: 105 }),
      reason: fc.string({ maxLength: 20 }),
      override: fc.boolean(),
    })
    .map((v) => JSON.stringify(v)),
  fc.constant(
    JSON.stringify({
      namespace: 'shop',
      service: 'checkout',
      image: 'registry.local/shop/checkout:9',
      steps: [100],
    }),
  ),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
  'application/json, text/plain',
);

/** Header values an HTTP client will still send (visible ASCII), hostile within that. */
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom(
    'a'.repeat(8_000),
    '../../x',
    "' OR 1=1",
    '-1',
    '0',
    '1e309',
    'Bearer',
    'Bearer ',
    'Basic YTpi',
  ),
);

const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'idempotency-key',
    'x-forwarded-for',
    'x-forwarded-proto',
    'x-forwarded-user',
    'x-forwarded-groups',
    'x-csrf-token',
    'origin',
    'accept',
    'accept-encoding',
    'if-match',
    'range',
    'last-event-id',
    'x-http-method-override',
  ),
  headerValue,
  { maxKeys: 4 },
);

const queryString = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'from',
            'to',
            'step',
            'limit',
            'cursor',
            'active',
            'phase',
            'service',
            'actor',
            '__proto__',
            'a[b]',
          ),
          fc.string({ maxLength: 10 }),
        ),
        hostileString,
      ),
      { maxLength: 6 },
    )
    .map(
      (pairs) => `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
    ),
  fc.constantFrom(
    '?%zz',
    '?a=%',
    `?q=${'x'.repeat(8_000)}`,
    '?step=0',
    '?from=2026-13-45T99:99:99Z',
    '?limit=-1&limit=2',
  ),
);

/** A path segment: a real value (when the caller may use one) or a hostile one. */
const segment = (real: readonly string[]) =>
  fc.oneof(
    ...(real.length ? [fc.constantFrom(...real)] : []),
    hostileString.map((s) => encodeURIComponent(s)),
    fc.constantFrom('%', '%E0%A4%A', '..%2F..%2F', 'a'.repeat(400), '%2e%2e'),
  );

export interface Credentials {
  viewer: string;
  operator: string;
  /** Path parameter values that exist (a rollout id, a target's namespace and service). */
  realParams: Record<string, string[]>;
}

function authHeaders(credential: Credential, creds: Credentials): Record<string, string> {
  switch (credential) {
    case 'none':
      return {};
    case 'bad-token':
      return { authorization: `Bearer ${'f'.repeat(40)}` };
    case 'bad-cookie':
      return { cookie: 'aviary_session=forged; __Host-aviary_session=forged' };
    case 'viewer':
      return { authorization: `Bearer ${creds.viewer}` };
    case 'operator':
      return { authorization: `Bearer ${creds.operator}` };
  }
}

/**
 * One request to one route. Without valid credentials anything goes (valid-looking bodies and
 * real ids included): nothing may change. With a viewer or operator token the inputs are
 * invalid by construction (a body that is no object, ids that do not exist), so nothing may
 * change either.
 */
export function fuzzRequest(
  routes: readonly Route[],
  creds: Credentials,
): fc.Arbitrary<FuzzRequest & { credential: Credential }> {
  return fc
    .record({
      route: fc.constantFrom(...routes),
      credential: fc.constantFrom<Credential>('none', 'bad-token', 'bad-cookie', 'viewer', 'operator'),
      otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), {
        freq: 6,
      }),
      query: queryString,
      headers: extraHeaders,
      contentType,
    })
    .chain(({ route, credential, otherMethod, query, headers, contentType }) => {
      const trusted = credential === 'viewer' || credential === 'operator';
      const params = route.params.map((p) => segment(trusted ? [] : (creds.realParams[p] ?? [])));
      const body = trusted ? invalidBody : anyBody;
      return fc
        .tuple(fc.tuple(...params), fc.option(body, { freq: 4, nil: undefined }))
        .map(([values, sent]) => {
          let path = route.path;
          route.params.forEach((p, i) => {
            path = path.replace(`{${p}}`, values[i] ?? '');
          });
          const method = otherMethod ?? route.method;
          const withBody = sent !== undefined && method !== 'GET' && method !== 'HEAD';
          return {
            credential,
            method,
            path: path + query,
            headers: {
              ...headers,
              ...authHeaders(credential, creds),
              ...(withBody ? { 'content-type': contentType } : {}),
            },
            ...(withBody ? { body: sent } : {}),
          };
        });
    });
}
