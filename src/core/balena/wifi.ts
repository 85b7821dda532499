/**
 * One NetworkManager keyfile per Wi-Fi network (balenaos.md §4.5, §7.4):
 * system-connections/wifi-<ssid-slug>, `id=` equal to the file name (unique by construction).
 */
import { CoreError } from '../errors.ts';
import type { Settings, WifiNetwork } from '../settings/types.ts';
import { effectiveSecurity } from '../settings/wifi.ts';
import { eapGroup } from './eap.ts';
import { namesTakenByUserFiles, uniqueConnectionName } from './file-names.ts';
import { ipv4Group, ipv6AutoGroup } from './keyfile-ip.ts';
import { raw, writeKeyfile, type KeyfileGroup } from './keyfile-writer.ts';
import { encodeSsidValue } from './nm-ssid.ts';
import type { BootFile, ConfigGenerator } from './types.ts';

const utf8 = new TextEncoder();

/** File names (= connection ids) for each network, in settings order. */
export function wifiConnectionNames(settings: Settings): string[] {
  const taken = namesTakenByUserFiles(settings.files);
  return (settings.network?.wifi ?? []).map((network) => uniqueConnectionName('wifi', network.ssid, taken));
}

export function wifiKeyfile(network: WifiNetwork, id: string): string {
  const where = `the Wi-Fi network ${JSON.stringify(network.ssid)}`;
  if (network.ssid === '') throw new CoreError('SETTINGS_INVALID', 'A Wi-Fi network has an empty SSID.');
  const groups: KeyfileGroup[] = [
    {
      name: 'connection',
      entries: [
        ['id', id],
        ['type', 'wifi'],
        ['autoconnect-priority', network.priority],
      ],
    },
    {
      name: 'wifi',
      entries: [
        ['hidden', network.hidden === true ? true : undefined],
        ['mode', 'infrastructure'],
        ['ssid', raw(encodeSsidValue(network.ssid))],
      ],
    },
    ...securityGroups(network, where),
    ipv4Group(network.ipv4, where),
    ipv6AutoGroup(),
  ];
  return writeKeyfile(groups);
}

function securityGroups(network: WifiNetwork, where: string): KeyfileGroup[] {
  const security = effectiveSecurity(network);
  switch (security) {
    case 'open':
      // The validator refuses these; a caller that skipped it must not get a silently open network.
      if (network.eap) {
        throw new CoreError('SETTINGS_INVALID', `${capitalise(where)} has EAP settings but its security is not "wpa-eap".`, { ssid: network.ssid });
      }
      return [];
    case 'wpa-psk':
    case 'sae':
      if (!network.passphrase) {
        throw new CoreError('SETTINGS_INVALID', `${capitalise(where)} uses ${security} but has no passphrase.`, { ssid: network.ssid });
      }
      return [{ name: 'wifi-security', entries: [['key-mgmt', security], ['psk', network.passphrase]] }];
    case 'wpa-eap':
      if (!network.eap) {
        throw new CoreError('SETTINGS_INVALID', `${capitalise(where)} uses WPA-Enterprise but has no EAP settings.`, { ssid: network.ssid });
      }
      return [{ name: 'wifi-security', entries: [['key-mgmt', 'wpa-eap']] }, eapGroup(network.eap, where)];
    default:
      throw new CoreError('SETTINGS_INVALID', `${capitalise(where)} has the unknown security type ${JSON.stringify(security)}.`);
  }
}

function capitalise(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

export const wifiGenerator: ConfigGenerator = {
  id: 'wifi',
  generate(settings): BootFile[] {
    const networks = settings.network?.wifi ?? [];
    const names = wifiConnectionNames(settings);
    return networks.map((network, i) => ({
      path: `system-connections/${names[i]}`,
      content: utf8.encode(wifiKeyfile(network, names[i])),
    }));
  },
};
