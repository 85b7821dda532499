/**
 * IP address and CIDR parsing, strict: dotted-quad IPv4 without leading zeros (they mean octal to
 * some parsers), RFC 4291 §2.2 text forms of IPv6 (with `::` and a trailing dotted quad), no zone
 * ids. Used for DNS servers, static addresses, WireGuard allowed IPs and proxy bypass lists.
 */

/** An IPv4 address as an unsigned 32-bit number, or undefined. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** An IPv6 address as 16 bytes, or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const groups: number[] = [];
  const all = [...head, ...tail];
  // A trailing dotted quad stands for the last two groups (e.g. ::ffff:192.0.2.1).
  const last = all[all.length - 1];
  let v4: number | undefined;
  if (last !== undefined && last.includes('.')) {
    v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    if (tail.length > 0) tail.pop();
    else if (halves.length === 1) head.pop();
    else return undefined; // "1.2.3.4::": the dotted quad must come last
  }
  for (const group of [...head, ...tail]) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return undefined;
  }
  const explicit = head.length + tail.length + (v4 === undefined ? 0 : 2);
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  groups.push(...head.map((g) => parseInt(g, 16)));
  for (let i = explicit; i < 8; i++) groups.push(0);
  groups.push(...tail.map((g) => parseInt(g, 16)));
  if (v4 !== undefined) groups.push(v4 >>> 16, v4 & 0xffff);
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

export function isIpAddress(text: string): boolean {
  return parseIpv4(text) !== undefined || parseIpv6(text) !== undefined;
}

export interface Ipv4Cidr {
  address: number;
  prefix: number;
}

export interface Cidr {
  family: 4 | 6;
  prefix: number;
}

/** "a.b.c.d/n" with n in 0–32. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const m = /^([^/]+)\/(0|[1-9][0-9]?)$/.exec(text);
  if (!m) return undefined;
  const address = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  return address === undefined || prefix > 32 ? undefined : { address, prefix };
}

/** An IPv4 or IPv6 CIDR ("10.8.0.0/24", "fd00::/64"). */
export function parseCidr(text: string): Cidr | undefined {
  const v4 = parseIpv4Cidr(text);
  if (v4) return { family: 4, prefix: v4.prefix };
  const m = /^([^/]+)\/(0|[1-9][0-9]{0,2})$/.exec(text);
  if (!m || parseIpv6(m[1]) === undefined || Number(m[2]) > 128) return undefined;
  return { family: 6, prefix: Number(m[2]) };
}

/** The subnet mask for a prefix length, as an unsigned 32-bit number. */
export function ipv4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function sameIpv4Subnet(a: number, b: number, prefix: number): boolean {
  const mask = ipv4Mask(prefix);
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** Dotted-quad text of an unsigned 32-bit address. */
export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}

// --- rules for the validator (return the problem, or undefined) ---

export function ipAddressProblem(text: string): string | undefined {
  return isIpAddress(text) ? undefined : `"${text}" is not an IPv4 or IPv6 address`;
}

export function ipv4AddressProblem(text: string): string | undefined {
  return parseIpv4(text) !== undefined ? undefined : `"${text}" is not an IPv4 address (like 192.168.1.1)`;
}

export function cidrProblem(text: string): string | undefined {
  if (parseCidr(text)) return undefined;
  if (isIpAddress(text)) return `"${text}" needs a prefix length, e.g. "${text}/${parseIpv4(text) !== undefined ? 32 : 128}"`;
  return `"${text}" is not an IP address with prefix length (CIDR), like "10.8.0.0/24" or "fd00::/64"`;
}

/** IPv4 address or IPv4 CIDR (redsocks' iptables bypass list is IPv4 only). */
export function ipv4OrCidrProblem(text: string): string | undefined {
  if (parseIpv4(text) !== undefined || parseIpv4Cidr(text)) return undefined;
  return `"${text}" is not an IPv4 address or CIDR, like "10.0.0.0/8"`;
}
