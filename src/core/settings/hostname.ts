/**
 * Host names. The device's own `hostname` is one RFC 1123 label (§2.1: letters, digits, hyphen,
 * 1–63 characters, no leading or trailing hyphen); we require lower case so the name the user
 * typed is exactly the name avahi announces as <hostname>.local — upper case is rejected with the
 * lower-case spelling as a hint rather than silently changed.
 * Server names (NTP, proxy, endpoints) are full DNS names of such labels (RFC 1123 §2.1, ≤ 253).
 */
import { parseIpv4 } from './ip.ts';

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const LABEL_ANY_CASE = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Problem with the device host name, or undefined. */
export function hostnameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 63) return `must be at most 63 characters (one RFC 1123 label); it has ${name.length}`;
  if (name.includes('.')) return `must be a single name without dots; the device is reachable as ${name.split('.')[0] || 'name'}.local`;
  if (LABEL.test(name)) return undefined;
  if (LABEL.test(name.toLowerCase())) return `must be lower case: use "${name.toLowerCase()}"`;
  if (name.startsWith('-') || name.endsWith('-')) return "must not start or end with '-'";
  const bad = [...name].find((c) => !/[A-Za-z0-9-]/.test(c));
  return `may contain only lower-case letters, digits and '-' (RFC 1123); "${bad}" is not allowed`;
}

/** Problem with a DNS host name such as "pool.ntp.org", or undefined. */
export function dnsNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `"${name.slice(0, 20)}…" is longer than 253 characters`;
  const labels = name.split('.');
  // All-numeric dotted names are mistyped IPv4 addresses, not host names.
  if (labels.every((l) => /^[0-9]+$/.test(l)) && parseIpv4(name) === undefined) return `"${name}" is not a valid IPv4 address`;
  for (const label of labels) {
    if (label.length === 0) return `"${name}" has an empty label (two dots in a row, or a dot at an end)`;
    if (label.length > 63) return `"${name}" has a label longer than 63 characters`;
    if (!LABEL_ANY_CASE.test(label)) return `"${name}" is not a valid host name (letters, digits and '-' between dots, RFC 1123)`;
  }
  return undefined;
}
