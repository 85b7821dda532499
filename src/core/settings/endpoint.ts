/**
 * "host:port" endpoints (WireGuard peers): a DNS name or IPv4 address, or an IPv6 address in
 * brackets (RFC 3986 §3.2.2), then a decimal port 1–65535.
 */
import { dnsNameProblem } from './hostname.ts';
import { parseIpv4, parseIpv6 } from './ip.ts';

export function portProblem(text: string): string | undefined {
  if (!/^[1-9][0-9]{0,4}$/.test(text) || Number(text) > 65535) return `port "${text}" must be a number from 1 to 65535`;
  return undefined;
}

export function endpointProblem(text: string): string | undefined {
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(text);
  if (bracketed) {
    if (!parseIpv6(bracketed[1])) return `"${bracketed[1]}" is not an IPv6 address`;
    return portProblem(bracketed[2]);
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return `"${text}" needs a port, like "${text}:51820"`;
  const host = text.slice(0, colon);
  if (host.includes(':')) {
    return parseIpv6(host) ? `put the IPv6 address in brackets: "[${host}]:${text.slice(colon + 1)}"` : `"${text}" is not host:port`;
  }
  if (host.length === 0) return `"${text}" has no host before the port`;
  const hostProblem = parseIpv4(host) !== undefined ? undefined : dnsNameProblem(host);
  return hostProblem ?? portProblem(text.slice(colon + 1));
}
