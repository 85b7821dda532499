/** wireguardPublicKey must agree with `wg pubkey` on keys `wg genkey` makes at test time. */
import { describe, expect, test } from 'vitest';
import { wireguardPublicKey } from '../../src/core/balena/wireguard-key.ts';
import { hasTool, runOk } from '../helpers/tools.ts';

describe.skipIf(!hasTool('wg'))('wireguardPublicKey vs wg pubkey', () => {
  const keys = Array.from({ length: 8 }, () => runOk('wg', ['genkey']).trim());

  test.each(keys.map((k, i) => [i, k] as const))('key %i', (_i, privateKey) => {
    expect(wireguardPublicKey(privateKey)).toBe(runOk('wg', ['pubkey'], { input: privateKey + '\n' }).trim());
  });

  test('an unclamped private key (all bytes 0xff) gives what wg computes after clamping', () => {
    const unclamped = Buffer.alloc(32, 0xff).toString('base64');
    expect(wireguardPublicKey(unclamped)).toBe(runOk('wg', ['pubkey'], { input: unclamped + '\n' }).trim());
  });
});
