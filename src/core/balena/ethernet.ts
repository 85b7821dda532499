/**
 * Wired Ethernet (balenaos.md §4.5, §7.4). With DHCP and no custom DNS no file is written:
 * NetworkManager auto-creates "Wired connection N". A profile is written for a static address
 * (system-connections/ethernet-static) or for DHCP with extra DNS servers
 * (system-connections/ethernet). No `interface-name`, so it matches any wired NIC
 * (eth0, end0… differ per board).
 */
import type { Settings } from '../settings/types.ts';
import { ipv4Group, ipv6AutoGroup } from './keyfile-ip.ts';
import { writeKeyfile } from './keyfile-writer.ts';
import type { BootFile, ConfigGenerator } from './types.ts';

export const ethernetGenerator: ConfigGenerator = {
  id: 'ethernet',
  generate(settings: Settings): BootFile[] {
    const ipv4 = settings.network?.ethernet?.ipv4;
    const manual = ipv4?.method === 'manual';
    if (!ipv4 || (!manual && !(ipv4.dns && ipv4.dns.length > 0))) return [];
    const id = manual ? 'ethernet-static' : 'ethernet';
    const text = writeKeyfile([
      { name: 'connection', entries: [['id', id], ['type', 'ethernet']] },
      ipv4Group(ipv4, 'the Ethernet connection'),
      ipv6AutoGroup(),
    ]);
    return [{ path: `system-connections/${id}`, content: new TextEncoder().encode(text) }];
  },
};
