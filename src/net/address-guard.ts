/**
 * Which addresses outbound HTTP may reach. Public services never live on
 * loopback, private, link-local and reserved addresses, so a URL that leads
 * there (typed by a user, found in a feed, or given as a redirect) is
 * refused — except for host names the operator named explicitly.
 *
 * Two checks, because a request reaches an address in two ways: a literal IP
 * in the URL never goes through DNS (`refuseLiteral`, before sending), and a
 * name is judged on the addresses it resolves to, by the socket's own lookup
 * (`guardedLookup`), so a public name that resolves to 127.0.0.1 is refused
 * too and DNS cannot answer differently between a check and the connection.
 *
 * @example
 *   isPrivateAddress('10.1.2.3'); // true
 *   const agent = new Agent({ connect: { lookup: guardedLookup(new Set(['meteo.internal'])) } });
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { HttpError } from './http-error.js';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/**
 * True for addresses a public service never has: loopback, private ranges,
 * link-local, carrier-grade NAT, documentation, multicast and reserved ones
 * (IPv4-mapped IPv6 addresses are judged by their IPv4 part). Anything that
 * is not an IP address at all counts as private: refusing is the safe side.
 *
 * @example
 *   isPrivateAddress('10.1.2.3'); // true
 *   isPrivateAddress('::ffff:127.0.0.1'); // true
 *   isPrivateAddress('151.101.1.69'); // false
 */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A URL's host name as the allow list and DNS see it: lower case, IPv6 without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * Throws HTTP_BLOCKED_ADDRESS when the URL's host is a literal private IP that
 * is not allowed. Names are left to `guardedLookup`.
 *
 * @example
 *   refuseLiteral(new URL('http://10.0.0.1/'), new Set()); // throws HTTP_BLOCKED_ADDRESS
 *   refuseLiteral(new URL('http://10.0.0.1/'), new Set(['10.0.0.1'])); // passes
 */
export function refuseLiteral(url: URL, allowed: ReadonlySet<string>): void {
  const host = hostOf(url);
  if (isIP(host) && isPrivateAddress(host) && !allowed.has(host)) {
    throw new HttpError('HTTP_BLOCKED_ADDRESS', `${host} is a private address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` for sockets that fails with HTTP_BLOCKED_ADDRESS when any
 * address of a name not in `allowed` is private.
 *
 * @example
 *   new Agent({ connect: { lookup: guardedLookup(new Set(['localhost'])) } });
 */
export function guardedLookup(allowed: ReadonlySet<string>) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options }, (err, address, family) => {
      if (err) return callback(err, '');
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (!allowed.has(hostname.toLowerCase()) && addresses.some(isPrivateAddress)) {
        return callback(
          Object.assign(new HttpError('HTTP_BLOCKED_ADDRESS', `${hostname} resolves to a private address`), {
            errno: 0,
            syscall: 'lookup',
          }) as NodeJS.ErrnoException,
          '',
        );
      }
      callback(null, address as string | LookupAddress[], family);
    });
  };
}

/** The guard's error, wherever undici wrapped it. */
export function findBlocked(err: unknown): HttpError | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof HttpError && e.code === 'HTTP_BLOCKED_ADDRESS') return e;
  }
  return undefined;
}
