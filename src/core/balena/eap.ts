/**
 * The [802-1x] section for WPA-Enterprise (nm-settings-keyfile(5), `nm-setting-8021x.c`).
 *
 * Certificates and keys are embedded with NM's blob scheme `data:;base64,<file contents>`, so the
 * profile is self-contained. The blob holds the certificate *file* — NM itself stores the whole
 * PEM (or DER) file when given one (`nm_crypto_load_and_verify_certificate` returns the file
 * contents), and wpa_supplicant accepts both forms — so the user's PEM text is embedded as is,
 * which also keeps every certificate of a CA bundle.
 */
import { base64Encode } from '../bytes/base64.ts';
import { CoreError } from '../errors.ts';
import type { EapSettings } from '../settings/types.ts';
import { optional, type KeyfileGroup } from './keyfile-writer.ts';

const utf8 = new TextEncoder();

/** NM's blob scheme prefix (NM_KEYFILE_CERT_SCHEME_PREFIX_BLOB). */
export const CERT_BLOB_PREFIX = 'data:;base64,';

export function certBlob(pem: string | undefined): string | undefined {
  if (pem === undefined || pem.trim() === '') return undefined;
  return CERT_BLOB_PREFIX + base64Encode(utf8.encode(pem));
}

/** Inner methods that are EAP methods under TTLS (phase2-autheap); the rest are phase2-auth. */
const TTLS_INNER_EAP = new Set(['md5', 'gtc']);

export function eapGroup(eap: EapSettings, where: string): KeyfileGroup {
  const tunnelled = eap.method === 'peap' || eap.method === 'ttls';
  // NM refuses PEAP/TTLS without an inner method; MSCHAPv2 is what nearly every network uses.
  const phase2 = tunnelled ? (eap.phase2 ?? 'mschapv2').toLowerCase() : undefined;
  const innerIsEap = eap.method === 'ttls' && phase2 !== undefined && TTLS_INNER_EAP.has(phase2);
  if (eap.method === 'tls' && (!certBlob(eap.clientCert) || !certBlob(eap.privateKey))) {
    throw new CoreError('SETTINGS_INVALID', `EAP-TLS for ${where} needs both a client certificate and a private key.`, { where });
  }
  return {
    name: '802-1x',
    entries: [
      ['eap', [eap.method]],
      ['identity', optional(eap.identity)],
      ['anonymous-identity', optional(eap.anonymousIdentity)],
      ['ca-cert', certBlob(eap.caCert)],
      ['domain-suffix-match', optional(eap.domainSuffixMatch)],
      ['client-cert', certBlob(eap.clientCert)],
      ['private-key', certBlob(eap.privateKey)],
      ['private-key-password', eap.method === 'tls' ? optional(eap.privateKeyPassword) : undefined],
      ['password', tunnelled ? optional(eap.password) : undefined],
      ['phase2-auth', innerIsEap ? undefined : phase2],
      ['phase2-autheap', innerIsEap ? phase2 : undefined],
    ],
  };
}
