import { BlockList, isIP } from 'node:net';
import { type Role, roleRank } from '@aviary/contracts';

/** `::ffff:10.0.0.1` is how an IPv4 peer looks on a dual-stack socket. */
export const normalizeAddress = (address: string | undefined): string =>
  (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/** `10.0.0.1, 10.1.0.0/16, ::1` → a matcher for the addresses of authenticating proxies. */
export function trustedProxies(
  spec: string,
  setting = 'AVIARY_TRUSTED_PROXIES',
): (address: string | undefined) => boolean {
  const list = new BlockList();
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [ip = '', prefix] = entry.split('/');
    const family = isIP(ip);
    if (!family) throw new Error(`${setting}: "${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(prefix), type);
  }
  if (entries.length === 0) return () => false;
  return (address) => {
    const a = normalizeAddress(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** `release-managers=operator,sre=admin,*=viewer` → group → role; `*` is any signed-in user. */
export function parseGroupRoles(spec: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const pair of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [group, role] = pair.split('=').map((s) => s.trim());
    if (!group || !role || !(role in roleRank))
      throw new Error(`AVIARY_GROUP_ROLES: "${pair}" must be <group>=viewer|operator|admin`);
    map.set(group, role as Role);
  }
  return map;
}

/** The highest role any of the groups grants, or null when none does. */
export function roleOfGroups(groups: string[], mapping: Map<string, Role>): Role | null {
  let best: Role | null = mapping.get('*') ?? null;
  for (const g of groups) {
    const role = mapping.get(g);
    if (role && (!best || roleRank[role] > roleRank[best])) best = role;
  }
  return best;
}
