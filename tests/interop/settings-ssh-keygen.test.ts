/**
 * The SSH key validator against OpenSSH itself: keys generated now by ssh-keygen, parsed by
 * Preflash, compared with what `ssh-keygen -l` reports (bits, SHA256 fingerprint, comment,
 * algorithm); weak, obsolete and corrupted keys are rejected, and ssh-keygen agrees on corruption.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSshPublicKey } from '../../src/core/settings/ssh-key.ts';
import { validateSettings } from '../../src/core/settings/validate.ts';
import { hasTool, run, runOk, tempDir } from '../helpers/tools.ts';

const KEYGEN_CASES: { name: string; args: string[] }[] = [
  { name: 'ed25519', args: ['-t', 'ed25519'] },
  { name: 'rsa-2048', args: ['-t', 'rsa', '-b', '2048'] },
  { name: 'rsa-3072', args: ['-t', 'rsa', '-b', '3072'] },
  { name: 'ecdsa-256', args: ['-t', 'ecdsa', '-b', '256'] },
  { name: 'ecdsa-384', args: ['-t', 'ecdsa', '-b', '384'] },
  { name: 'ecdsa-521', args: ['-t', 'ecdsa', '-b', '521'] },
];

/** `ssh-keygen -l` output: "<bits> <fingerprint> <comment> (<ALGORITHM>)". */
function keygenFingerprint(pubPath: string): { bits: number; fingerprint: string; comment: string; label: string } {
  const out = runOk('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath]).trim();
  const m = /^(\d+) (SHA256:\S+) (.*) \(([A-Z0-9-]+)\)$/.exec(out);
  if (!m) throw new Error(`unexpected ssh-keygen -l output: ${out}`);
  return { bits: Number(m[1]), fingerprint: m[2], comment: m[3], label: m[4] };
}

describe.skipIf(!hasTool('ssh-keygen'))('SSH keys vs ssh-keygen -l', () => {
  const tmp = tempDir('preflash-ssh-');
  const pub = (name: string) => readFileSync(tmp.path(`${name}.pub`), 'utf8').trim();

  beforeAll(() => {
    const all = [...KEYGEN_CASES, { name: 'rsa-1024', args: ['-t', 'rsa', '-b', '1024'] }, { name: 'dsa', args: ['-t', 'dsa'] }];
    for (const { name, args } of all) {
      const r = run('ssh-keygen', [...args, '-q', '-N', '', '-C', `${name}@preflash-test`, '-f', tmp.path(name)]);
      if (r.status !== 0 && name !== 'dsa') throw new Error(`ssh-keygen ${name}: ${r.stderr}`);
    }
  });
  afterAll(() => tmp.cleanup());

  it.each(KEYGEN_CASES.map((c) => c.name))('%s: same bits, fingerprint, comment and algorithm as ssh-keygen', (name) => {
    const expected = keygenFingerprint(tmp.path(`${name}.pub`));
    const parsed = parseSshPublicKey(pub(name));
    expect(parsed.ok, parsed.ok ? '' : parsed.problem).toBe(true);
    if (!parsed.ok) return;
    expect({ bits: parsed.key.bits, fingerprint: parsed.key.fingerprint, comment: parsed.key.comment, label: parsed.key.label }).toEqual(expected);
    expect(validateSettings({ version: 1, ssh: { authorizedKeys: [pub(name)] } }).ok).toBe(true);
  });

  it('RSA 1024 is rejected, naming the field and the bit count ssh-keygen reports', () => {
    const { bits } = keygenFingerprint(tmp.path('rsa-1024.pub'));
    expect(bits).toBe(1024);
    const result = validateSettings({ version: 1, ssh: { authorizedKeys: [pub('ed25519'), pub('rsa-1024')] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.message)).toEqual([`ssh.authorizedKeys[1]: RSA key of ${bits} bits is too weak; at least 2048 bits are required`]);
  });

  it('DSA keys (when this ssh-keygen still makes them) are rejected', () => {
    let line: string;
    try {
      line = pub('dsa');
    } catch {
      return; // OpenSSH ≥ 10 cannot generate DSA keys any more
    }
    const parsed = parseSshPublicKey(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain('DSA keys (ssh-dss) are not accepted');
  });

  it.each([
    ['a flipped character in the key header', (body: string) => body.slice(0, 30) + (body[30] === 'A' ? 'B' : 'A') + body.slice(31), /curve|key data|base64/],
    ['the last 8 characters cut off', (body: string) => body.slice(0, -8), /truncated|malformed|base64/],
    ['a character that is not base64', (body: string) => body.slice(0, 20) + '*' + body.slice(21), /not valid base64/],
  ])('a corrupted body (%s) is rejected by both', (_, corrupt, problem) => {
    const [type, body, comment] = pub('ecdsa-256').split(' ');
    const corrupted = `${type} ${corrupt(body)} ${comment}`;
    const file = tmp.path('corrupted.pub');
    writeFileSync(file, `${corrupted}\n`);
    expect(run('ssh-keygen', ['-l', '-f', file]).status).not.toBe(0);
    const result = validateSettings({ version: 1, ssh: { authorizedKeys: [corrupted] } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0].path).toBe('ssh.authorizedKeys[0]');
      expect(result.issues[0].message).toMatch(problem);
    }
  });

  it('ed25519 and RSA bodies swapped between prefixes are rejected by both', () => {
    const [, edBody] = pub('ed25519').split(' ');
    const swapped = `ssh-rsa ${edBody} swapped`;
    const file = tmp.path('swapped.pub');
    writeFileSync(file, `${swapped}\n`);
    expect(run('ssh-keygen', ['-l', '-f', file]).status).not.toBe(0);
    const parsed = parseSshPublicKey(swapped);
    expect(parsed.ok ? '' : parsed.problem).toBe('the key data is a "ssh-ed25519" key but the line says "ssh-rsa"');
  });
});
