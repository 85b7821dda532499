/**
 * WireGuard through NetworkManager's built-in support (balenaos.md §7.4, §8 — experimental on
 * balenaOS, kernel ≥ 5.10): system-connections/wireguard-wg0, interface wg0.
 *
 * `preshared-key-flags=0` is written with every preshared key: without it NetworkManager 1.42's
 * keyfile reader drops the key silently.
 */
import { CoreError } from '../errors.ts';
import type { Settings, WireguardPeer, WireguardSettings } from '../settings/types.ts';
import { nonEmpty } from './keyfile-ip.ts';
import { optional, writeKeyfile, type KeyfileGroup } from './keyfile-writer.ts';
import type { BootFile, ConfigGenerator } from './types.ts';

export const WIREGUARD_INTERFACE = 'wg0';

const isIpv6 = (address: string): boolean => address.includes(':');

function peerGroup(peer: WireguardPeer): KeyfileGroup {
  const presharedKey = optional(peer.presharedKey);
  return {
    // The group name carries the peer's public key itself (NM's keyfile format).
    name: `wireguard-peer.${peer.publicKey}`,
    entries: [
      ['endpoint', optional(peer.endpoint)],
      ['allowed-ips', peer.allowedIps],
      ['preshared-key', presharedKey],
      ['preshared-key-flags', presharedKey === undefined ? undefined : 0],
      ['persistent-keepalive', peer.persistentKeepalive || undefined],
    ],
  };
}

/** [ipv4]/[ipv6]: manual with the tunnel addresses of that family, disabled when there are none. */
function ipGroup(family: 'ipv4' | 'ipv6', wg: WireguardSettings): KeyfileGroup {
  const wantV6 = family === 'ipv6';
  const addresses = wg.addresses.filter((a) => isIpv6(a) === wantV6);
  if (addresses.length === 0) return { name: family, entries: [['method', 'disabled']] };
  return {
    name: family,
    entries: [
      ['method', 'manual'],
      ...addresses.map((address, i) => [`address${i + 1}`, address] as const),
      ['dns', nonEmpty(wg.dns?.filter((d) => isIpv6(d) === wantV6))],
    ],
  };
}

export function wireguardKeyfile(wg: WireguardSettings): string {
  const seen = new Set<string>();
  for (const peer of wg.peers) {
    // Two sections with one name would merge into a single peer.
    if (seen.has(peer.publicKey)) {
      throw new CoreError('SETTINGS_INVALID', `The WireGuard peer ${peer.publicKey} is listed twice.`, { publicKey: peer.publicKey });
    }
    seen.add(peer.publicKey);
  }
  const id = `wireguard-${WIREGUARD_INTERFACE}`;
  return writeKeyfile([
    { name: 'connection', entries: [['id', id], ['type', 'wireguard'], ['interface-name', WIREGUARD_INTERFACE]] },
    { name: 'wireguard', entries: [['private-key', wg.privateKey]] },
    ...wg.peers.map(peerGroup),
    ipGroup('ipv4', wg),
    ipGroup('ipv6', wg),
  ]);
}

export const wireguardGenerator: ConfigGenerator = {
  id: 'wireguard',
  generate(settings: Settings): BootFile[] {
    const wg = settings.vpn?.wireguard;
    if (!wg) return [];
    return [{ path: `system-connections/wireguard-${WIREGUARD_INTERFACE}`, content: new TextEncoder().encode(wireguardKeyfile(wg)) }];
  },
};
