/**
 * `ipv4` of a Wi-Fi or Ethernet connection: DHCP ("auto") or a static CIDR address with an
 * optional gateway that must lie inside the address's subnet (NetworkManager would otherwise
 * need an extra device route, which the generated keyfiles do not add).
 */
import { formatIpv4, ipAddressProblem, ipv4AddressProblem, ipv4Mask, parseIpv4, parseIpv4Cidr, sameIpv4Subnet } from './ip.ts';
import { Issues, keyPath } from './issues.ts';
import { arrayField, checkObject, enumField, stringField, str, type FieldCheck, type Fields } from './shape.ts';
import { IPV4_METHODS, type Ipv4Settings } from './types.ts';

/** A static address "a.b.c.d/n" that is a usable host address of its subnet. */
export function ipv4HostCidrProblem(text: string): string | undefined {
  const cidr = parseIpv4Cidr(text);
  if (!cidr) {
    if (parseIpv4(text) !== undefined) return `needs a prefix length, e.g. "${text}/24"`;
    return `"${text}" is not an IPv4 address with prefix length, like "192.168.1.50/24"`;
  }
  if (cidr.prefix > 30) return undefined; // /31 (RFC 3021) and /32 have no network or broadcast address
  const mask = ipv4Mask(cidr.prefix);
  const network = (cidr.address & mask) >>> 0;
  const subnet = `${formatIpv4(network)}/${cidr.prefix}`;
  if (cidr.address === network) return `${formatIpv4(cidr.address)} is the network address of ${subnet}, not a host address`;
  if (cidr.address === (network | ~mask) >>> 0) return `${formatIpv4(cidr.address)} is the broadcast address of ${subnet}, not a host address`;
  return undefined;
}

const ipv4Fields: Fields<Ipv4Settings> = {
  method: enumField(IPV4_METHODS),
  address: stringField(ipv4HostCidrProblem),
  gateway: stringField(ipv4AddressProblem),
  dns: arrayField(stringField(ipAddressProblem)),
};

function checkMethodConsistency(method: string | undefined, ipv4: { address?: unknown; gateway?: unknown }, path: string, issues: Issues): void {
  if (method === 'manual' && ipv4.address === undefined) issues.add(keyPath(path, 'address'), 'required when method is "manual"');
  if (method !== 'auto') return;
  if (ipv4.address !== undefined) issues.add(keyPath(path, 'address'), 'only used when method is "manual" (DHCP assigns the address)');
  if (ipv4.gateway !== undefined) issues.add(keyPath(path, 'gateway'), 'only used when method is "manual" (DHCP assigns the gateway)');
}

function checkGatewayInSubnet(address: string | undefined, gateway: string | undefined, path: string, issues: Issues): void {
  const cidr = address === undefined ? undefined : parseIpv4Cidr(address);
  const gw = gateway === undefined ? undefined : parseIpv4(gateway);
  if (!cidr || gw === undefined) return;
  const subnet = `${formatIpv4((cidr.address & ipv4Mask(cidr.prefix)) >>> 0)}/${cidr.prefix}`;
  if (gw === cidr.address) issues.add(keyPath(path, 'gateway'), `is the device's own address (${address})`);
  else if (!sameIpv4Subnet(gw, cidr.address, cidr.prefix)) issues.add(keyPath(path, 'gateway'), `${gateway} is outside the subnet ${subnet} of the address ${address}`);
}

export const checkIpv4: FieldCheck = (value, path, issues) => {
  const ipv4 = checkObject(value, path, issues, ipv4Fields, ['method']);
  if (!ipv4) return;
  checkMethodConsistency(str(ipv4.method), ipv4, path, issues);
  if (str(ipv4.method) === 'manual') checkGatewayInSubnet(str(ipv4.address), str(ipv4.gateway), path, issues);
};
