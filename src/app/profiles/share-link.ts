/**
 * Share links: the settings without secrets, as base64url(JSON) in the URL fragment
 * (`#settings=…`). A fragment is never sent to a server (RFC 3986 §3.5; browsers strip it from
 * requests), so a link pasted into chat reaches no server's logs with the settings in it — and it
 * carries no secret at all: they are removed by the core's rule before encoding, and again when a
 * link is read, in case a link was made by hand.
 */
import type { Settings } from '#core/index.ts';
import { withoutSecrets, type Redactor } from './profile-record.ts';

export const FRAGMENT_KEY = 'settings';

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The page's address with the settings (secrets removed) as its fragment; the query stays as it was. */
export function shareLink(pageUrl: string, settings: Settings, redact: Redactor): { url: string; secretPaths: string[] } {
  const clear = withoutSecrets(settings, redact);
  const url = new URL(pageUrl);
  url.hash = `${FRAGMENT_KEY}=${toBase64Url(new TextEncoder().encode(JSON.stringify(clear.settings)))}`;
  return { url: url.href, secretPaths: clear.secretPaths };
}

export type SharedSettings =
  | { kind: 'none' }
  | { kind: 'settings'; json: string; secretPaths: string[] }
  | { kind: 'unreadable'; reason: string };

/** Reads a fragment (`#settings=…`, with or without the '#'): its settings as JSON text, secrets removed. */
export function readShareFragment(hash: string, redact: Redactor): SharedSettings {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const encoded = params.get(FRAGMENT_KEY);
  if (encoded === null) return { kind: 'none' };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(encoded)));
  } catch {
    return { kind: 'unreadable', reason: 'the link’s settings are not base64url-encoded JSON (was it cut short?)' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'unreadable', reason: 'the link’s settings are not a settings object' };
  try {
    const clear = withoutSecrets(value as Settings, redact);
    return { kind: 'settings', json: JSON.stringify(clear.settings), secretPaths: clear.secretPaths };
  } catch {
    // The redactor walks the settings' shape; a link whose lists are not lists cannot be made safe.
    return { kind: 'unreadable', reason: 'the link’s settings do not have the shape of version-1 settings' };
  }
}
