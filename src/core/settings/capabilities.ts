/**
 * Network settings for hardware the catalogue says a board lacks (issue 7 §3): written anyway — a
 * USB adapter may use them — but said, at the setting's path. One home for the form (checkSettings
 * with a device) and for configure.
 */
import type { DeviceType } from '../catalogue/device-type.generated.ts';
import { warning, type CoreWarning } from '../warnings.ts';
import { isPlainObject } from './shape.ts';

export function capabilityWarnings(input: unknown, device: DeviceType): CoreWarning[] {
  const network = isPlainObject(input) && isPlainObject(input.network) ? input.network : {};
  const asked = [
    { has: device.capabilities.wifi, used: Array.isArray(network.wifi) && network.wifi.length > 0, path: 'network.wifi', what: 'Wi-Fi', adapter: 'a USB Wi-Fi adapter' },
    { has: device.capabilities.cellular, used: network.cellular !== undefined, path: 'network.cellular', what: 'cellular modem', adapter: 'a USB modem' },
    { has: device.capabilities.ethernet, used: network.ethernet !== undefined, path: 'network.ethernet', what: 'Ethernet port', adapter: 'a USB Ethernet adapter' },
  ];
  return asked
    .filter((a) => a.has === false && a.used)
    .map((a) => warning('DEVICE_CAPABILITY', `${a.path}: ${device.name} has no ${a.what}; the profile is written, but only ${a.adapter} would use it.`, a.path));
}
