/** Shared assertions for the settings tests: every issue must name its exact field path. */
import { expect } from 'vitest';
import { validateSettings, type SettingsIssue } from '../../../src/core/settings/validate.ts';

/** Issues for `{ version: 1, ...partial }` (an empty list when valid). */
export function issuesOf(partial: Record<string, unknown>): SettingsIssue[] {
  const result = validateSettings({ version: 1, ...partial });
  return result.ok ? [] : result.issues;
}

export function expectValid(partial: Record<string, unknown>): void {
  expect(issuesOf(partial).map((i) => i.message)).toEqual([]);
}

/**
 * Asserts that validating `partial` gives exactly one issue, at `path`, whose message is
 * "<path>: …" and contains `fragment`.
 */
export function expectIssue(partial: Record<string, unknown>, path: string, fragment: string | RegExp = ''): void {
  const issues = issuesOf(partial);
  expect(issues.map((i) => i.message)).toHaveLength(1);
  const [issue] = issues;
  expect(issue.path).toBe(path);
  expect(issue.message.startsWith(`${path}: `)).toBe(true);
  if (fragment instanceof RegExp) expect(issue.message).toMatch(fragment);
  else expect(issue.message).toContain(fragment);
}

/** A value nested at a dotted path inside otherwise-valid settings, e.g. at('network.country', 'DE'). */
export function at(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  let node: unknown = value;
  for (const key of keys.reverse()) node = { [key]: node };
  return node as Record<string, unknown>;
}

/** Real keys, generated once with ssh-keygen / wg for the fixtures. */
export const KEYS = {
  ed25519: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDfv1KRPmvJYdppksF+vWBp3lNE41MguJdygwB6eKqhL alice@laptop',
  ecdsa256:
    'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOp//4AlFlUErty1gZITTkP03M2p5ZjK9NfRW3UUsPN3xNCJOspLjVKqPhD2apU2ozfYPeqa3XdtnXHLRP9xYTQ= ci@build-server',
  wgPrivate: 'CElFdJO+5GNTB0CZUT/l8R7vmYHiAtv/ctuOszEFuWo=',
  wgPeer: 'PU7eCXJ6krpeJ/MsbCWVThWDpYOjZ+6uGsiyzXTs2zc=',
  wgPsk: '2UItGyzPV4fGDc0vF0yoAICuP2Rb7MFWWTxMaimIvik=',
};
