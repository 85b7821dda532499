/**
 * `cloud`: balenaCloud / openBalena provisioning (config.json apiEndpoint, applicationId, apiKey…,
 * balenaos.md §4.3). A fleet id and a provisioning key only make sense together, and both need
 * an API to register with.
 */
import { dnsNameProblem } from './hostname.ts';
import { Issues, keyPath } from './issues.ts';
import { allOf, checkObject, integerField, nonEmpty, singleLine, stringField, type FieldCheck, type Fields, type Members } from './shape.ts';
import type { CloudSettings } from './types.ts';

export function httpsUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL (like "https://api.balena-cloud.com")`;
  }
  if (url.protocol !== 'https:') return `must be an https:// URL; "${text}" is ${url.protocol.replace(':', '')}`;
  if (url.username || url.password) return 'must not contain a user name or password';
  return dnsNameProblem(url.hostname.replace(/^\[.*\]$/, 'ipv6.invalid'));
}

const MIN_POLL_MS = 600_000;

/** Milliseconds, at least 10 minutes; a small number was probably meant as minutes or seconds. */
const pollIntervalField: FieldCheck = (value, path, issues) => {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 86_400) {
    return issues.add(path, `must be in milliseconds, at least ${MIN_POLL_MS} (10 minutes); ${value} looks like minutes or seconds (15 minutes = 900000)`);
  }
  integerField(MIN_POLL_MS, Number.MAX_SAFE_INTEGER, ' milliseconds (10 minutes)')(value, path, issues);
};

const cloudFields: Fields<CloudSettings> = {
  apiEndpoint: stringField(httpsUrlProblem),
  applicationId: integerField(1, Number.MAX_SAFE_INTEGER),
  provisioningKey: stringField((t) => (/^[A-Za-z0-9_-]+$/.test(t) ? undefined : 'must be a provisioning key: letters, digits, "_" and "-" only')),
  initialDeviceName: stringField(allOf(nonEmpty, singleLine, (t) => (t.length > 64 ? 'must be at most 64 characters' : undefined))),
  deviceType: stringField((t) => (/^[a-z0-9][a-z0-9-]*$/.test(t) ? undefined : 'must be a device type slug like "raspberrypi4-64"')),
  vpnEndpoint: stringField(dnsNameProblem),
  registryEndpoint: stringField(dnsNameProblem),
  deltaEndpoint: stringField(httpsUrlProblem),
  appUpdatePollInterval: pollIntervalField,
};

function checkProvisioning(cloud: Members<CloudSettings>, path: string, issues: Issues): void {
  const hasId = cloud.applicationId !== undefined;
  const hasKey = cloud.provisioningKey !== undefined;
  if (hasId && !hasKey) issues.add(keyPath(path, 'provisioningKey'), 'required with applicationId (the device needs it to register)');
  if (hasKey && !hasId) issues.add(keyPath(path, 'applicationId'), 'required with provisioningKey (the fleet the key belongs to)');
  if ((hasId || hasKey) && cloud.apiEndpoint === undefined) issues.add(keyPath(path, 'apiEndpoint'), 'required to register with a fleet (e.g. "https://api.balena-cloud.com")');
}

export const checkCloud: FieldCheck = (value, path, issues) => {
  const cloud = checkObject(value, path, issues, cloudFields);
  if (cloud) checkProvisioning(cloud, path, issues);
};
