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
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1), as the IPv4 address. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** True for an address callbacks must not reach by default; anything that is not an IP counts as blocked. */
export function isBlockedAddress(address: string): boolean {
  const a = unmapped(address);
  const family = isIP(a);
  if (family === 0) return true;
  return BLOCKED.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of an http(s) URL as connected to: brackets of an IPv6 literal removed, lower case. */
export function urlHost(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * Why a subscription URL is refused at creation, or null: an IP literal in a blocked range, or a
 * name that always means this machine. Other names are checked when they are resolved, on every
 * delivery (their addresses may change).
 */
export function refusedUrlReason(url: string): string | null {
  const host = urlHost(url);
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  if (isIP(host) && isBlockedAddress(host)) return `${host} is a loopback, private, link-local or reserved address`;
  return null;
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
