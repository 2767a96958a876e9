import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where callbacks may not go unless CALLBACK_ALLOW_PRIVATE_NETWORKS is set: loopback, private,
 * link-local (cloud metadata services live at 169.254.169.254), carrier-grade NAT, benchmark,
 * multicast and reserved ranges. Without this, anyone holding an admin key could make the gateway
 * POST into the network it runs in (server-side request forgery).
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The IPv4 address an IPv6 address carries when it only wraps one: IPv4-mapped (::ffff:a.b.c.d),
 * NAT64 (64:ff9b::/96, the form public IPv4 receivers take on an IPv6-only host) and 6to4
 * (2002:AABB:CCDD::/48). Those are judged by the IPv4 address inside.
 */
function embeddedIPv4(address: string): string | null {
  const g = ipv6Groups(address);
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

/** True for an address callbacks must not reach by default; anything that is not an IP counts as blocked. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const inner = embeddedIPv4(address);
  return inner ? BLOCKED.check(inner, 'ipv4') : BLOCKED.check(address, 'ipv6');
}

/** The host of an http(s) URL as connected to: brackets of an IPv6 literal and a final dot removed, lower case. */
export function urlHost(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/**
 * Why a subscription URL is refused at creation, or null: an IP literal in a blocked range, or a
 * name that always means this machine. Other names are checked when they are resolved, on every
 * delivery (their addresses may change).
 */
export function refusedUrlReason(url: string): string | null {
  const host = urlHost(url);
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  return blockedLiteralReason(url);
}

/** Why a URL whose host is an IP literal in a blocked range is refused (no lookup guards those), or null. */
export function blockedLiteralReason(url: string): string | null {
  const host = urlHost(url);
  return isIP(host) && isBlockedAddress(host) ? `${host} is a loopback, private, link-local or reserved address` : null;
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
}

/**
 * A `lookup` for http.request that refuses names resolving to a blocked address. The check is on
 * the very address the socket connects to, so a name cannot pass the check and then be re-resolved
 * elsewhere (DNS rebinding).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return (callback as (e: Error) => void)(error);
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked) {
      return (callback as (e: Error) => void)(new BlockedAddressError(`${hostname} resolves to ${blocked.address}, a loopback, private, link-local or reserved address`));
    }
    if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    return (callback as (e: null, a: string, f: number) => void)(null, first.address, first.family);
  });
};
