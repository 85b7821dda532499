/**
 * Cellular via ModemManager (balenaos.md §7.4): system-connections/cellular, `type=gsm`.
 * username/password/pin are left out when empty.
 */
import type { Settings } from '../settings/types.ts';
import { ipv4Group, ipv6AutoGroup } from './keyfile-ip.ts';
import { optional, writeKeyfile } from './keyfile-writer.ts';
import type { BootFile, ConfigGenerator } from './types.ts';

export const cellularGenerator: ConfigGenerator = {
  id: 'cellular',
  generate(settings: Settings): BootFile[] {
    const cellular = settings.network?.cellular;
    if (!cellular) return [];
    const text = writeKeyfile([
      { name: 'connection', entries: [['id', 'cellular'], ['type', 'gsm'], ['autoconnect', true]] },
      {
        name: 'gsm',
        entries: [
          ['apn', cellular.apn],
          ['username', optional(cellular.username)],
          ['password', optional(cellular.password)],
          ['pin', optional(cellular.pin)],
        ],
      },
      ipv4Group(undefined, 'the cellular connection'),
      ipv6AutoGroup(),
    ]);
    return [{ path: 'system-connections/cellular', content: new TextEncoder().encode(text) }];
  },
};
