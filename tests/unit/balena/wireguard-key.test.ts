import { createPrivateKey, createPublicKey, diffieHellman, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { wireguardPublicKey, x25519 } from '../../../src/core/balena/wireguard-key.ts';
import { base64Encode } from '../../../src/core/bytes/base64.ts';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('X25519 (RFC 7748 test vectors)', () => {
  test('§5.2 first vector', () => {
    const k = hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4');
    const u = hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c');
    expect(toHex(x25519(k, u))).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });

  test('§5.2 second vector (u with the top bit set is masked)', () => {
    const k = hex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d');
    const u = hex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493');
    expect(toHex(x25519(k, u))).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });

  test('§6.1 Alice and Bob public keys and shared secret', () => {
    const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bob = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
    const bobPub = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
    expect(wireguardPublicKey(base64Encode(alice))).toBe(base64Encode(hex(alicePub)));
    expect(wireguardPublicKey(base64Encode(bob))).toBe(base64Encode(hex(bobPub)));
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519(alice, hex(bobPub)))).toBe(shared);
    expect(toHex(x25519(bob, hex(alicePub)))).toBe(shared);
  });

  test('agrees with Node/OpenSSL X25519 on random scalars and points', () => {
    for (let i = 0; i < 20; i++) {
      const k = randomBytes(32);
      const u = randomBytes(32);
      const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), k]), format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), u]), format: 'der', type: 'spki' });
      expect(toHex(x25519(k, u))).toBe(diffieHellman({ privateKey, publicKey }).toString('hex'));
    }
  });

  test('a key that is not 32 base64 bytes is refused with SETTINGS_INVALID', () => {
    expect(() => wireguardPublicKey('abc')).toThrow(expect.objectContaining({ code: 'SETTINGS_INVALID' }));
    expect(() => wireguardPublicKey(base64Encode(new Uint8Array(31)))).toThrow(/32 bytes/);
  });
});
