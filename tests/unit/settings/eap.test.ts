/** network.wifi[].eap: methods and the keys each needs, phase 2, PEM armour, encrypted keys. */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { expectIssue, expectValid } from './helpers.ts';

const complete = JSON.parse(readFileSync(new URL('./fixtures/complete.json', import.meta.url), 'utf8'));
const tlsEap = complete.network.wifi[3].eap;
const caCert: string = tlsEap.caCert;
const path = 'network.wifi[0].eap';
const corp = (eap: Record<string, unknown>) => ({ network: { wifi: [{ ssid: 'Corp', security: 'wpa-eap', eap }] } });
const peap = { method: 'peap', identity: 'me@example.org', password: 'pw' };

describe('eap', () => {
  it('accepts PEAP, TTLS and TLS set-ups', () => {
    expectValid(corp({ ...peap, phase2: 'gtc', caCert, domainSuffixMatch: 'radius.example.org', anonymousIdentity: 'anonymous@example.org' }));
    expectValid(corp({ method: 'ttls', identity: 'me', password: 'pw', phase2: 'pap' }));
    expectValid(corp(tlsEap));
  });

  it('method is required and must be known', () => {
    expectIssue(corp({ identity: 'me', password: 'pw' }), `${path}.method`, 'required');
    expectIssue(corp({ ...peap, method: 'leap' }), `${path}.method`, 'must be one of "peap", "ttls", "tls"');
  });

  it('peap and ttls need identity and password', () => {
    expectIssue(corp({ method: 'peap', password: 'pw' }), `${path}.identity`, 'required for method "peap"');
    expectIssue(corp({ method: 'ttls', identity: 'me' }), `${path}.password`, 'required for method "ttls"');
  });

  it('tls needs clientCert and privateKey', () => {
    expectIssue(corp({ ...tlsEap, clientCert: undefined }), `${path}.clientCert`, 'required for method "tls"');
    expectIssue(corp({ ...tlsEap, privateKey: undefined, privateKeyPassword: undefined }), `${path}.privateKey`, 'required for method "tls"');
  });

  it('keys of the other kind of method are rejected', () => {
    expectIssue(corp({ ...tlsEap, password: 'pw' }), `${path}.password`, 'only used with methods "peap" and "ttls"');
    expectIssue(corp({ ...peap, clientCert: tlsEap.clientCert }), `${path}.clientCert`, 'only used with method "tls"');
  });

  it('phase2 must suit the method', () => {
    expectIssue(corp({ ...peap, phase2: 'pap' }), `${path}.phase2`, 'not an inner method of peap');
    expectIssue(corp({ ...peap, phase2: 'eap-md5' }), `${path}.phase2`, 'must be one of');
  });

  it('certificates and keys must be PEM text', () => {
    expectIssue(corp({ ...peap, caCert: '/etc/ssl/ca.pem' }), `${path}.caCert`, 'PEM text of a certificate');
    expectIssue(corp({ ...tlsEap, privateKey: caCert, privateKeyPassword: undefined }), `${path}.privateKey`, 'PEM text of a private key');
  });

  it('an encrypted private key needs its password', () => {
    expectIssue(corp({ ...tlsEap, privateKeyPassword: undefined }), `${path}.privateKeyPassword`, 'the private key is encrypted');
  });

  it('identity must be one line; domainSuffixMatch a host name', () => {
    expectIssue(corp({ ...peap, identity: 'me\nyou' }), `${path}.identity`, 'single line');
    expectIssue(corp({ ...peap, domainSuffixMatch: 'radius example' }), `${path}.domainSuffixMatch`, 'not a valid host name');
  });
});
