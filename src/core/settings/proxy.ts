/**
 * `network.proxy`: balenaOS's transparent redsocks proxy (system-proxy/redsocks.conf and
 * system-proxy/no_proxy). redsocks and its iptables rules are IPv4-only, so the server and the
 * bypass list are IPv4 (or a host name for the server). redsocks.conf quoting is undocumented,
 * so login and password may not contain '"', '\', ';' or line breaks (balenaos.md §5.2).
 */
import { dnsNameProblem } from './hostname.ts';
import { ipv4OrCidrProblem, parseIpv4, parseIpv6 } from './ip.ts';
import { keyPath } from './issues.ts';
import { arrayField, checkObject, enumField, integerField, stringField, str, type FieldCheck, type Fields } from './shape.ts';
import { PROXY_TYPES, type ProxySettings } from './types.ts';

export function proxyHostProblem(host: string): string | undefined {
  if (parseIpv4(host) !== undefined) return undefined;
  if (parseIpv6(host)) return 'redsocks takes an IPv4 address or a host name, not an IPv6 address';
  return dnsNameProblem(host);
}

export function redsocksQuotedProblem(text: string): string | undefined {
  if (text.length === 0) return 'must not be empty';
  // eslint-disable-next-line no-control-regex
  if (/["\\;\u0000-\u001f\u007f]/.test(text)) return `must not contain '"', '\\', ';' or line breaks (they cannot be quoted safely in redsocks.conf)`;
  return undefined;
}

const proxyFields: Fields<ProxySettings> = {
  type: enumField(PROXY_TYPES),
  host: stringField(proxyHostProblem),
  port: integerField(1, 65535),
  login: stringField(redsocksQuotedProblem),
  password: stringField(redsocksQuotedProblem),
  noProxy: arrayField(stringField(ipv4OrCidrProblem)),
};

export const checkProxy: FieldCheck = (value, path, issues) => {
  const proxy = checkObject(value, path, issues, proxyFields, ['type', 'host', 'port']);
  if (!proxy || proxy.password === undefined) return;
  if (proxy.login === undefined) issues.add(keyPath(path, 'login'), 'required when a password is set');
  if (str(proxy.type) === 'socks4') issues.add(keyPath(path, 'password'), 'socks4 has no passwords (only a login); use socks5');
};
