/** `network`: Wi-Fi, Ethernet, cellular, regulatory country, DNS/NTP servers and proxy. */
import { checkCellular } from './cellular.ts';
import { countryProblem } from './country.ts';
import { dnsNameProblem } from './hostname.ts';
import { ipAddressProblem, isIpAddress } from './ip.ts';
import { checkIpv4 } from './ipv4.ts';
import { keyPath } from './issues.ts';
import { checkProxy } from './proxy.ts';
import { arrayField, checkObject, stringField, type FieldCheck, type Fields } from './shape.ts';
import type { EthernetSettings, NetworkSettings } from './types.ts';
import { checkDuplicateSsids, checkWifi } from './wifi.ts';

/** An NTP server: an IP address or a DNS name. */
export function ntpServerProblem(server: string): string | undefined {
  if (isIpAddress(server)) return undefined;
  return dnsNameProblem(server);
}

const ethernetFields: Fields<EthernetSettings> = { ipv4: checkIpv4 };

const networkFields: Fields<NetworkSettings> = {
  wifi: arrayField(checkWifi),
  ethernet: (value, path, issues) => checkObject(value, path, issues, ethernetFields),
  cellular: checkCellular,
  country: stringField(countryProblem),
  // config.json joins these with spaces, so a server is one token: the IP/name rules ensure that.
  dnsServers: arrayField(stringField(ipAddressProblem)),
  ntpServers: arrayField(stringField(ntpServerProblem)),
  proxy: checkProxy,
};

export const checkNetwork: FieldCheck = (value, path, issues) => {
  const network = checkObject(value, path, issues, networkFields);
  if (network) checkDuplicateSsids(network.wifi, keyPath(path, 'wifi'), issues);
};
