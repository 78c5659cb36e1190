import { DomainError } from '../errors.ts';

/** Where Aviary may act at all; null: anywhere. */
export interface Allowlists {
  namespaces: readonly string[] | null;
  /** Registries (`registry.example.com`) or repository prefixes (`registry.example.com/shop`). */
  registries: readonly string[] | null;
}

/** A comma-separated setting as a list; empty means no list (anything goes). */
export function parseList(text: string): string[] | null {
  const items = text
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return items.length ? items : null;
}

/**
 * The image's repository with its registry spelt out, as a container runtime resolves it:
 * `nginx:1.27` is `docker.io/library/nginx`, `shop/app` is `docker.io/shop/app`; a first part
 * with a dot, a colon or `localhost` is a registry.
 */
export function imageRepository(image: string): string {
  const name = image.split('@')[0] ?? '';
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const repo = colon > lastSlash ? name.slice(0, colon) : name;
  const [first, ...rest] = repo.split('/');
  if (rest.length && first && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return repo.toLowerCase();
  return `docker.io/${rest.length ? '' : 'library/'}${repo}`.toLowerCase();
}

const registryOf = (image: string) => imageRepository(image).split('/')[0] ?? '';

/** Refuses (403) a namespace outside `AVIARY_ALLOWED_NAMESPACES`. */
export function assertNamespaceAllowed(allow: Allowlists, namespace: string): void {
  if (!allow.namespaces || allow.namespaces.includes(namespace)) return;
  throw new DomainError(
    'namespace-not-allowed',
    `Aviary may not act in namespace ${namespace}; it is limited to ${allow.namespaces.join(', ')} (AVIARY_ALLOWED_NAMESPACES). Ask an admin to add it`,
    { field: 'namespace', allowed: allow.namespaces },
  );
}

/** Refuses (403) an image from outside `AVIARY_ALLOWED_REGISTRIES`, matched by whole path segments. */
export function assertImageAllowed(allow: Allowlists, image: string): void {
  if (!allow.registries) return;
  const repo = imageRepository(image);
  if (allow.registries.some((r) => repo.startsWith(`${r.toLowerCase()}/`))) return;
  throw new DomainError(
    'registry-not-allowed',
    `image ${image} comes from ${registryOf(image)}, which is not allowed; use an image from ${allow.registries.join(', ')} (AVIARY_ALLOWED_REGISTRIES), or ask an admin to add the registry`,
    { field: 'image', allowed: allow.registries },
  );
}
