/**
 * Transparent proxy through balenaOS's redsocks (balenaos.md §5.2): system-proxy/redsocks.conf
 * and, when bypass entries are given, system-proxy/no_proxy (one IP/CIDR per line).
 *
 * The `base` block and local_ip/local_port are fixed values balena-proxy-config relies on.
 * redsocks' quoting rules are unverified, so text that could break out of a value
 * (quotes, backslashes, ';', braces, line breaks) is refused rather than escaped.
 */
import { CoreError } from '../errors.ts';
import type { ProxySettings, Settings } from '../settings/types.ts';
import type { BootFile, ConfigGenerator } from './types.ts';

const PROXY_TYPES = new Set(['socks4', 'socks5', 'http-connect', 'http-relay']);

function checkQuoted(field: string, value: string): void {
  if (/["\\;\r\n\0]/.test(value)) {
    throw new CoreError('SETTINGS_INVALID', `The proxy ${field} contains a quote, backslash, ';' or line break, which redsocks.conf cannot hold safely.`, { field });
  }
}

function checkBare(field: string, value: string, allowPrefix = false): void {
  const pattern = allowPrefix ? /^[A-Za-z0-9._:-]+(\/[0-9]{1,3})?$/ : /^[A-Za-z0-9._:-]+$/;
  if (!pattern.test(value)) {
    throw new CoreError('SETTINGS_INVALID', `The proxy ${field} ${JSON.stringify(value)} must be an IP address or host name.`, { field });
  }
}

export function redsocksConf(proxy: ProxySettings): string {
  if (!PROXY_TYPES.has(proxy.type)) throw new CoreError('SETTINGS_INVALID', `The proxy type ${JSON.stringify(proxy.type)} is not one redsocks supports.`);
  checkBare('host', proxy.host);
  if (!Number.isInteger(proxy.port) || proxy.port < 1 || proxy.port > 65535) {
    throw new CoreError('SETTINGS_INVALID', `The proxy port ${proxy.port} is not between 1 and 65535.`);
  }
  const lines = [
    'base {',
    '  log_debug = off;',
    '  log_info = on;',
    '  log = stderr;',
    '  daemon = off;',
    '  redirector = iptables;',
    '}',
    '',
    'redsocks {',
    `  type = ${proxy.type};`,
    `  ip = ${proxy.host};`,
    `  port = ${proxy.port};`,
    '  local_ip = 127.0.0.1;',
    '  local_port = 12345;',
  ];
  if (proxy.login) {
    checkQuoted('login', proxy.login);
    lines.push(`  login = "${proxy.login}";`);
  }
  if (proxy.password) {
    checkQuoted('password', proxy.password);
    lines.push(`  password = "${proxy.password}";`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function noProxyFile(entries: readonly string[]): string {
  for (const entry of entries) checkBare('bypass entry', entry, true);
  return entries.map((e) => e + '\n').join('');
}

export const proxyGenerator: ConfigGenerator = {
  id: 'proxy',
  generate(settings: Settings): BootFile[] {
    const proxy = settings.network?.proxy;
    if (!proxy) return [];
    const utf8 = new TextEncoder();
    const files: BootFile[] = [{ path: 'system-proxy/redsocks.conf', content: utf8.encode(redsocksConf(proxy)) }];
    if (proxy.noProxy && proxy.noProxy.length > 0) {
      files.push({ path: 'system-proxy/no_proxy', content: utf8.encode(noProxyFile(proxy.noProxy)) });
    }
    return files;
  },
};
