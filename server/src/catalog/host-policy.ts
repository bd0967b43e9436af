/**
 * Which hosts the catalog loader may talk to. Every outbound request (Backstage API, `url`
 * Location targets, redirects) passes through {@link assertUrlAllowed}: the host must be on
 * the configured allow-list, and link-local / cloud metadata addresses are refused even when
 * listed, so a catalog file can never make the server read its own instance credentials.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { errors } from '../errors.js';

/** Names that resolve to a cloud provider's instance metadata service. */
const METADATA_HOSTNAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Metadata services that do not live in the link-local range. */
const METADATA_ADDRESSES = new Set(['100.100.100.200', 'fd00:ec2::254']);

function ipv4Octets(address: string): number[] | undefined {
  if (isIP(address) !== 4) return undefined;
  return address.split('.').map(Number);
}

/** Expands an IPv6 address into its eight 16-bit groups (handles `::` and a dotted IPv4 tail). */
function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase().split('%')[0];
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const [a, b, c, d] = tail[1].split('.').map(Number);
    text = text.slice(0, -tail[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const fill = rest !== undefined ? new Array(8 - left.length - right.length).fill('0') : [];
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16));
}

/**
 * True for addresses no catalog read may reach: IPv4 169.254.0.0/16, IPv6 fe80::/10 (also
 * when IPv4-mapped) and the known metadata endpoints.
 */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_ADDRESSES.has(bare) || METADATA_HOSTNAMES.has(bare.replace(/\.$/, ''))) return true;
  const v4 = ipv4Octets(bare);
  if (v4) return v4[0] === 169 && v4[1] === 254;
  const v6 = ipv6Groups(bare);
  if (!v6) return false;
  if ((v6[0] & 0xffc0) === 0xfe80) return true;
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    return isForbiddenAddress(`${v6[6] >> 8}.${v6[6] & 0xff}.${v6[7] >> 8}.${v6[7] & 0xff}`);
  }
  return v6.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':');
}

/** True when `url`'s host matches an entry: `host`, `host:port` or `*.suffix`. */
export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return allowedHosts.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (!entry) return false;
    if (entry.startsWith('*.')) return hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1;
    return entry === hostname || entry === host;
  });
}

/**
 * Throws `YS_ERR_CATALOG_INVALID` unless `url` may be read: http(s) only, no credentials in
 * the URL, host on the allow-list, and neither the host nor any address it resolves to is
 * link-local or a metadata service.
 *
 * @example
 * ```ts
 * await assertUrlAllowed(new URL('https://backstage.example.com'), ['backstage.example.com']); // ok
 * await assertUrlAllowed(new URL('http://169.254.169.254/latest'), ['169.254.169.254']);     // throws
 * ```
 */
export async function assertUrlAllowed(url: URL, allowedHosts: readonly string[]): Promise<void> {
  const shown = `${url.protocol}//${url.host}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new errors.YS_ERR_CATALOG_INVALID(`only http and https URLs can be read, not ${url.protocol} (${shown})`);
  }
  if (url.username || url.password) {
    throw new errors.YS_ERR_CATALOG_INVALID(`URLs must not carry credentials (${shown}); configure a token instead`);
  }
  if (isForbiddenAddress(url.hostname)) {
    throw new errors.YS_ERR_CATALOG_INVALID(`host ${url.hostname} is a link-local or cloud metadata address and is never read`);
  }
  if (!isHostAllowed(url, allowedHosts)) {
    throw new errors.YS_ERR_CATALOG_INVALID(
      `host ${url.host} is not in the allowed hosts (${allowedHosts.length ? allowedHosts.join(', ') : 'none configured'})`,
    );
  }
  if (isIP(url.hostname.replace(/^\[|\]$/g, ''))) return;
  // A listed name could still resolve to a metadata address (a hostile DNS record); refuse that too.
  const addresses = await lookup(url.hostname, { all: true }).catch(() => []);
  const bad = addresses.find((a) => isForbiddenAddress(a.address));
  if (bad) {
    throw new errors.YS_ERR_CATALOG_INVALID(`host ${url.hostname} resolves to ${bad.address}, a link-local or metadata address`);
  }
}
