/**
 * OpenSSH public key lines ("<type> <base64> [comment]", sshd(8) AUTHORIZED_KEYS FILE FORMAT)
 * parsed down to the key itself, so a pasted key that is truncated, mislabelled or too weak is
 * caught before it lands on a device the user can then not log in to.
 *
 * Wire formats: ssh-rsa RFC 4253 §6.6 (string type, mpint e, mpint n); ecdsa-sha2-* RFC 5656
 * §3.1 (string type, string curve, string Q); ssh-ed25519 RFC 8709 §4 (string type, string key);
 * sk-* OpenSSH PROTOCOL.u2f (the same plus string application).
 *
 * DSA (ssh-dss) is rejected: it is fixed at 1024 bits, OpenSSH disabled it by default in 7.0 and
 * removed it in 10.0, so a DSA key would not work against current sshd builds anyway.
 * authorized_keys options (from="…", command="…") are not supported: balenaOS takes bare keys.
 */
import { base64Encode, tryBase64Decode } from '../bytes/base64.ts';
import { sha256 } from '../bytes/sha256.ts';
import { SshWireReader, bitLength } from './ssh-wire.ts';

export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

export const MIN_RSA_BITS = 2048;

export interface SshPublicKey {
  type: SshKeyType;
  /** The algorithm as `ssh-keygen -l` shows it in parentheses: ED25519, RSA, ECDSA, ED25519-SK, ECDSA-SK. */
  label: string;
  /** Key size as `ssh-keygen -l` reports it (RSA modulus bits; 256 for Ed25519; curve size for ECDSA). */
  bits: number;
  comment: string;
  /** The decoded key blob (wire format). */
  blob: Uint8Array;
  /** "SHA256:<unpadded base64>", the fingerprint `ssh-keygen -l` prints. */
  fingerprint: string;
}

export type SshKeyParse = { ok: true; key: SshPublicKey } | { ok: false; problem: string };

/** Size in bits and the field length of an uncompressed point, per NIST curve (RFC 5656 §10.1). */
const CURVES: Record<string, { bits: number; fieldBytes: number }> = {
  nistp256: { bits: 256, fieldBytes: 32 },
  nistp384: { bits: 384, fieldBytes: 48 },
  nistp521: { bits: 521, fieldBytes: 66 },
};

/** Reads the type-specific part of the blob; returns the size in bits or a problem. */
function readKeyBody(type: SshKeyType, reader: SshWireReader): number | string {
  switch (type) {
    case 'ssh-rsa': {
      const e = reader.positiveMpint();
      const n = reader.positiveMpint();
      if (!e || !n) return 'the RSA key data is truncated or malformed';
      if ((e[e.length - 1] & 1) === 0 || (e.length === 1 && e[0] < 3)) return 'the RSA public exponent is invalid';
      return bitLength(n);
    }
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      const key = reader.string();
      if (!key) return 'the Ed25519 key data is truncated';
      if (key.length !== 32) return `the Ed25519 key is ${key.length} bytes; it must be 32`;
      return 256;
    }
    default: {
      const expected = type.startsWith('sk-') ? 'nistp256' : type.slice('ecdsa-sha2-'.length);
      const curve = reader.text();
      const point = reader.string();
      if (curve === undefined || !point) return 'the ECDSA key data is truncated';
      if (curve !== expected) return `the ECDSA key names curve "${curve}" but the type "${type}" needs "${expected}"`;
      const { bits, fieldBytes } = CURVES[curve];
      if (point.length !== 1 + 2 * fieldBytes || point[0] !== 0x04) return `the ECDSA ${curve} point is malformed (expected an uncompressed point of ${1 + 2 * fieldBytes} bytes)`;
      return bits;
    }
  }
}

function labelOf(type: SshKeyType): string {
  const base = type.includes('ed25519') ? 'ED25519' : type === 'ssh-rsa' ? 'RSA' : 'ECDSA';
  return type.startsWith('sk-') ? `${base}-SK` : base;
}

function unknownTypeProblem(type: string): string {
  if (type === 'ssh-dss') return 'DSA keys (ssh-dss) are not accepted: they are limited to 1024 bits and OpenSSH has removed them; use an ssh-ed25519 key';
  if (/[=,"]/.test(type) || /^(no-|cert-authority|restrict)/.test(type)) return 'must start with the key type; authorized_keys options (from=, command=, no-pty…) are not supported';
  return `unknown key type "${type}"; accepted: ${SSH_KEY_TYPES.join(', ')}`;
}

/** Parses one public key line, checking everything `ssh-keygen -l` would and our strength rules. */
export function parseSshPublicKey(line: string): SshKeyParse {
  const fail = (problem: string): SshKeyParse => ({ ok: false, problem });
  if (/[\r\n]/.test(line)) return fail('must be a single line; put each key in its own list item');
  if (line.includes('PRIVATE KEY')) return fail('this is a private key; paste the public key (the .pub file) instead');
  if (line.includes('BEGIN SSH2 PUBLIC KEY')) return fail('is in RFC 4716 (PuTTY) format; convert it with "ssh-keygen -i -f key.pub"');
  const m = /^([^ \t]+)(?:[ \t]+([^ \t]+))?(?:[ \t]+(.*))?$/.exec(line);
  if (!m) return fail('is not an OpenSSH public key line ("<type> <base64> [comment]")');
  const [, type, body, comment = ''] = m;
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type)) return fail(unknownTypeProblem(type));
  const keyType = type as SshKeyType;
  if (!body) return fail(`has no key data after "${type}"`);
  const blob = tryBase64Decode(body);
  if (!blob || blob.length === 0) return fail('the key data is not valid base64');
  const reader = new SshWireReader(blob);
  const inner = reader.text();
  if (inner === undefined) return fail('the key data is truncated');
  if (inner !== type) return fail(`the key data is a "${inner}" key but the line says "${type}"`);
  const bits = readKeyBody(keyType, reader);
  if (typeof bits === 'string') return fail(bits);
  if (keyType.startsWith('sk-') && reader.text() === undefined) return fail('the security-key application string is missing');
  if (reader.remaining > 0) return fail(`the key data has ${reader.remaining} unexpected bytes after the key`);
  if (keyType === 'ssh-rsa' && bits < MIN_RSA_BITS) return fail(`RSA key of ${bits} bits is too weak; at least ${MIN_RSA_BITS} bits are required`);
  const fingerprint = `SHA256:${base64Encode(sha256(blob)).replace(/=+$/, '')}`;
  return { ok: true, key: { type: keyType, label: labelOf(keyType), bits, comment, blob, fingerprint } };
}

/** Validator rule: the problem with a public key line, or undefined. */
export function sshPublicKeyProblem(line: string): string | undefined {
  const parsed = parseSshPublicKey(line);
  return parsed.ok ? undefined : parsed.problem;
}
