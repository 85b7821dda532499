/**
 * ssh.authorizedKeys: OpenSSH public key lines parsed to the wire format (RFC 4253 §6.6,
 * RFC 5656, RFC 8709, OpenSSH PROTOCOL.u2f). Keys are built here byte by byte so each rule can be
 * broken on purpose; tests/interop/settings-ssh-keygen.test.ts checks real ssh-keygen keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSshPublicKey } from '../../../src/core/settings/ssh-key.ts';
import { KEYS, at, expectIssue, expectValid } from './helpers.ts';

/** SSH wire `string`s: uint32 length + bytes. */
function wire(...parts: (string | Uint8Array)[]): Buffer {
  return Buffer.concat(
    parts.map((p) => {
      const bytes = typeof p === 'string' ? Buffer.from(p) : Buffer.from(p);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    }),
  );
}

const line = (type: string, blob: Buffer, comment = 'test') => `${type} ${blob.toString('base64')} ${comment}`;
/** A positive mpint of `bits` bits (top bit set, with the 0x00 sign byte when needed). */
function mpint(bits: number): Buffer {
  const bytes = randomBytes(Math.ceil(bits / 8));
  const top = (bits - 1) % 8;
  bytes[0] = (bytes[0] & ((1 << (top + 1)) - 1)) | (1 << top);
  bytes[bytes.length - 1] |= 1;
  return bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}
const rsa = (bits: number) => line('ssh-rsa', wire('ssh-rsa', Buffer.from([1, 0, 1]), mpint(bits)));
const ecPoint = (fieldBytes: number) => Buffer.concat([Buffer.from([4]), randomBytes(2 * fieldBytes)]);
const keys = (...lines: string[]) => at('ssh.authorizedKeys', lines);

describe('SSH public keys', () => {
  it('accepts every supported type, with or without a comment', () => {
    const accepted = [
      KEYS.ed25519,
      KEYS.ecdsa256,
      rsa(2048),
      rsa(4096),
      line('ecdsa-sha2-nistp384', wire('ecdsa-sha2-nistp384', 'nistp384', ecPoint(48))),
      line('ecdsa-sha2-nistp521', wire('ecdsa-sha2-nistp521', 'nistp521', ecPoint(66))),
      line('sk-ssh-ed25519@openssh.com', wire('sk-ssh-ed25519@openssh.com', randomBytes(32), 'ssh:')),
      line('sk-ecdsa-sha2-nistp256@openssh.com', wire('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', ecPoint(32), 'ssh:')),
    ];
    expectValid(keys(...accepted));
    expectValid(keys(KEYS.ed25519.split(' ').slice(0, 2).join(' ')));
  });

  it('reports type, bits, comment and the SHA256 fingerprint', () => {
    const parsed = parseSshPublicKey(KEYS.ed25519);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const blob = Buffer.from(KEYS.ed25519.split(' ')[1], 'base64');
    expect(parsed.key).toMatchObject({ type: 'ssh-ed25519', label: 'ED25519', bits: 256, comment: 'alice@laptop' });
    expect(parsed.key.fingerprint).toBe(`SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`);
    const sk = parseSshPublicKey(line('sk-ecdsa-sha2-nistp256@openssh.com', wire('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', ecPoint(32), 'ssh:')));
    expect(sk.ok && [sk.key.label, sk.key.bits]).toEqual(['ECDSA-SK', 256]);
  });

  it('RSA below 2048 bits is rejected with its size', () => {
    expectIssue(keys(KEYS.ed25519, rsa(2047)), 'ssh.authorizedKeys[1]', 'RSA key of 2047 bits is too weak; at least 2048 bits are required');
  });

  it('DSA is rejected', () => expectIssue(keys(line('ssh-dss', wire('ssh-dss', mpint(1024)))), 'ssh.authorizedKeys[0]', 'DSA keys (ssh-dss) are not accepted'));

  it('unknown types and authorized_keys options are rejected', () => {
    expectIssue(keys('ssh-foo AAAA x'), 'ssh.authorizedKeys[0]', 'unknown key type "ssh-foo"');
    expectIssue(keys(`from="10.0.0.0/8" ${KEYS.ed25519}`), 'ssh.authorizedKeys[0]', 'options (from=, command=, no-pty…) are not supported');
  });

  it('the base64 body must decode', () => {
    const [type, body] = KEYS.ed25519.split(' ');
    expectIssue(keys(`${type} ${body.slice(0, -1)}`), 'ssh.authorizedKeys[0]', 'the key data is not valid base64');
    expectIssue(keys(`${type} ${body.replace('A', '!')}`), 'ssh.authorizedKeys[0]', 'the key data is not valid base64');
    expectIssue(keys(type), 'ssh.authorizedKeys[0]', 'has no key data after "ssh-ed25519"');
  });

  it('the inner type must equal the prefix', () => {
    const body = KEYS.ed25519.split(' ')[1];
    expectIssue(keys(`ssh-rsa ${body}`), 'ssh.authorizedKeys[0]', 'the key data is a "ssh-ed25519" key but the line says "ssh-rsa"');
  });

  it('key lengths, curves and points are checked', () => {
    expectIssue(keys(line('ssh-ed25519', wire('ssh-ed25519', randomBytes(31)))), 'ssh.authorizedKeys[0]', 'the Ed25519 key is 31 bytes; it must be 32');
    expectIssue(keys(line('ecdsa-sha2-nistp256', wire('ecdsa-sha2-nistp256', 'nistp384', ecPoint(48)))), 'ssh.authorizedKeys[0]', 'names curve "nistp384" but the type "ecdsa-sha2-nistp256" needs "nistp256"');
    expectIssue(keys(line('ecdsa-sha2-nistp256', wire('ecdsa-sha2-nistp256', 'nistp256', ecPoint(31)))), 'ssh.authorizedKeys[0]', 'point is malformed');
    expectIssue(keys(line('ssh-rsa', wire('ssh-rsa', Buffer.from([2]), mpint(2048)))), 'ssh.authorizedKeys[0]', 'public exponent is invalid');
  });

  it('truncated data and trailing bytes are rejected', () => {
    const blob = Buffer.from(KEYS.ed25519.split(' ')[1], 'base64');
    expectIssue(keys(line('ssh-ed25519', blob.subarray(0, 40))), 'ssh.authorizedKeys[0]', 'truncated');
    expectIssue(keys(line('ssh-ed25519', Buffer.concat([blob, Buffer.from([0, 0, 0])]))), 'ssh.authorizedKeys[0]', '3 unexpected bytes after the key');
    expectIssue(keys(line('sk-ssh-ed25519@openssh.com', wire('sk-ssh-ed25519@openssh.com', randomBytes(32)))), 'ssh.authorizedKeys[0]', 'application string is missing');
  });

  it('pasting the wrong thing gets a hint', () => {
    expectIssue(keys('-----BEGIN OPENSSH PRIVATE KEY-----'), 'ssh.authorizedKeys[0]', 'this is a private key');
    expectIssue(keys('---- BEGIN SSH2 PUBLIC KEY ----'), 'ssh.authorizedKeys[0]', 'RFC 4716 (PuTTY) format');
    expectIssue(keys(`${KEYS.ed25519}\n${KEYS.ecdsa256}`), 'ssh.authorizedKeys[0]', 'put each key in its own list item');
  });

  it('the same key twice is rejected, even with another comment', () => {
    expectIssue(keys(KEYS.ed25519, KEYS.ecdsa256, KEYS.ed25519.replace('alice@laptop', 'alice@phone')), 'ssh.authorizedKeys[2]', 'same key as ssh.authorizedKeys[0] (SHA256:');
  });

  it('items must be strings', () => expectIssue(keys(KEYS.ed25519, 5 as unknown as string), 'ssh.authorizedKeys[1]', 'must be a string'));
});
