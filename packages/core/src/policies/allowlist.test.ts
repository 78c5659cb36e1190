import { describe, expect, it } from 'vitest';
import { assertImageAllowed, assertNamespaceAllowed, imageRepository, parseList } from './allowlist.ts';

describe('imageRepository', () => {
  const cases: [string, string][] = [
    ['registry.local/shop/checkout:1.1.0', 'registry.local/shop/checkout'],
    ['registry.local:5000/shop/checkout:1.1.0', 'registry.local:5000/shop/checkout'],
    ['localhost/app', 'localhost/app'],
    ['nginx', 'docker.io/library/nginx'],
    ['nginx:1.27', 'docker.io/library/nginx'],
    ['shop/app:2', 'docker.io/shop/app'],
    [`ghcr.io/acme/api@sha256:${'a'.repeat(64)}`, 'ghcr.io/acme/api'],
    ['GHCR.io/Acme/API:1', 'ghcr.io/acme/api'],
  ];
  for (const [image, repo] of cases)
    it(`${image} → ${repo}`, () => expect(imageRepository(image)).toBe(repo));
});

describe('allowlists', () => {
  const allow = {
    namespaces: parseList('shop, payments'),
    registries: parseList('registry.local, ghcr.io/acme/'),
  };

  it('reads comma lists, and an empty one as no limit', () => {
    expect(allow.namespaces).toEqual(['shop', 'payments']);
    expect(allow.registries).toEqual(['registry.local', 'ghcr.io/acme']);
    expect(parseList(' , ')).toBeNull();
  });

  it('refuses a namespace outside the list, saying which are allowed', () => {
    expect(() => assertNamespaceAllowed(allow, 'shop')).not.toThrow();
    expect(() => assertNamespaceAllowed(allow, 'kube-system')).toThrow(
      expect.objectContaining({
        code: 'namespace-not-allowed',
        message: expect.stringContaining('shop, payments'),
      }),
    );
    expect(() => assertNamespaceAllowed({ namespaces: null, registries: null }, 'kube-system')).not.toThrow();
  });

  it('refuses an image from another registry, matching whole path segments only', () => {
    expect(() => assertImageAllowed(allow, 'registry.local/shop/checkout:1.1.0')).not.toThrow();
    expect(() => assertImageAllowed(allow, 'ghcr.io/acme/api:1')).not.toThrow();
    for (const image of [
      'registry.local.evil.example/shop/checkout:1',
      'ghcr.io/acme-evil/api:1',
      'ghcr.io/other/api:1',
      'nginx:1.27',
    ])
      expect(() => assertImageAllowed(allow, image), image).toThrow(
        expect.objectContaining({ code: 'registry-not-allowed' }),
      );
    expect(() => assertImageAllowed({ namespaces: null, registries: ['docker.io'] }, 'nginx')).not.toThrow();
  });
});
