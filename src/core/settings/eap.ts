/**
 * `network.wifi[i].eap`: WPA-Enterprise (802.1X). PEAP and TTLS log in with identity + password
 * inside a TLS tunnel; TLS logs in with a client certificate and key. The inner (phase 2)
 * methods follow NetworkManager's nm-settings-nmcli(5) `802-1x.phase2-auth` per outer method.
 */
import { dnsNameProblem } from './hostname.ts';
import { Issues, keyPath } from './issues.ts';
import { isEncryptedPem, pemProblem } from './pem.ts';
import { allOf, checkObject, enumField, isOneOf, nonEmpty, singleLine, stringField, str, type FieldCheck, type Fields, type Members } from './shape.ts';
import { EAP_METHODS, EAP_PHASE2_METHODS, type EapSettings } from './types.ts';

const PHASE2_BY_METHOD: Record<string, readonly string[]> = {
  peap: ['mschapv2', 'gtc', 'md5'],
  ttls: EAP_PHASE2_METHODS,
  tls: [],
};

const line = stringField(allOf(nonEmpty, singleLine));

const eapFields: Fields<EapSettings> = {
  method: enumField(EAP_METHODS),
  identity: line,
  anonymousIdentity: line,
  password: line,
  phase2: enumField(EAP_PHASE2_METHODS),
  caCert: stringField((t) => pemProblem(t, 'certificate')),
  clientCert: stringField((t) => pemProblem(t, 'certificate')),
  privateKey: stringField((t) => pemProblem(t, 'private key')),
  privateKeyPassword: line,
  domainSuffixMatch: stringField(dnsNameProblem),
};

/** Which keys each method needs, and which belong only to the other kind of method. */
function checkMethodKeys(eap: Members<EapSettings>, path: string, issues: Issues): void {
  const method = str(eap.method);
  if (!isOneOf(EAP_METHODS, method)) return;
  const isTls = method === 'tls';
  const needed = isTls ? (['clientCert', 'privateKey'] as const) : (['identity', 'password'] as const);
  for (const key of needed) if (eap[key] === undefined) issues.add(keyPath(path, key), `required for method "${method}"`);
  const misplaced = isTls ? (['password', 'phase2'] as const) : (['clientCert', 'privateKey', 'privateKeyPassword'] as const);
  const owner = isTls ? 'methods "peap" and "ttls"' : 'method "tls"';
  for (const key of misplaced) if (eap[key] !== undefined) issues.add(keyPath(path, key), `only used with ${owner}`);
  const phase2 = str(eap.phase2);
  if (!isTls && isOneOf(EAP_PHASE2_METHODS, phase2) && !PHASE2_BY_METHOD[method].includes(phase2)) {
    issues.add(keyPath(path, 'phase2'), `"${phase2}" is not an inner method of ${method}; use one of ${PHASE2_BY_METHOD[method].join(', ')}`);
  }
  const key = str(eap.privateKey);
  if (isTls && key !== undefined && isEncryptedPem(key) && eap.privateKeyPassword === undefined) {
    issues.add(keyPath(path, 'privateKeyPassword'), 'required because the private key is encrypted');
  }
}

export const checkEap: FieldCheck = (value, path, issues) => {
  const eap = checkObject(value, path, issues, eapFields, ['method']);
  if (eap) checkMethodKeys(eap, path, issues);
};
