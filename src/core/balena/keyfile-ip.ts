/**
 * The [ipv4]/[ipv6] sections shared by every profile (nm-settings-keyfile(5); balenaos.md §7.4).
 */
import { CoreError } from '../errors.ts';
import type { Ipv4Settings } from '../settings/types.ts';
import type { KeyfileGroup } from './keyfile-writer.ts';

/** [ipv4] for a network's optional IPv4 settings; DHCP when absent. */
export function ipv4Group(ipv4: Ipv4Settings | undefined, where: string): KeyfileGroup {
  if (!ipv4 || ipv4.method === 'auto') {
    return { name: 'ipv4', entries: [['method', 'auto'], ['dns', nonEmpty(ipv4?.dns)]] };
  }
  if (!ipv4.address) {
    throw new CoreError('SETTINGS_INVALID', `The static IPv4 settings of ${where} have no address.`, { where });
  }
  const address1 = ipv4.gateway ? `${ipv4.address},${ipv4.gateway}` : ipv4.address;
  return {
    name: 'ipv4',
    entries: [
      ['method', 'manual'],
      ['address1', address1],
      ['dns', nonEmpty(ipv4.dns)],
    ],
  };
}

/** [ipv6] as NetworkManager writes it by default: SLAAC/DHCPv6 with stable-privacy addresses. */
export function ipv6AutoGroup(): KeyfileGroup {
  return {
    name: 'ipv6',
    entries: [
      ['addr-gen-mode', 'stable-privacy'],
      ['method', 'auto'],
    ],
  };
}

export function nonEmpty(list: readonly string[] | undefined): readonly string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}
