import { describe, expect, it } from 'vitest';
import { checkBox, MIN_ITERATIONS, open, seal } from '../../../../src/app/profiles/secret-box.ts';

describe('secret box (AES-GCM-256, PBKDF2-SHA-256)', () => {
  it('opens with the passphrase it was sealed with, and keeps its iteration count', async () => {
    const box = await seal('{"secret":"s3cr3t ünïcode"}', 'a good passphrase');
    expect(box).toMatchObject({ kdf: 'PBKDF2-SHA-256', cipher: 'AES-GCM-256', iterations: 600_000 });
    expect(box.salt.length).toBe(16);
    expect(box.iv.length).toBe(12);
    expect(new TextDecoder().decode(box.data)).not.toContain('s3cr3t');
    expect(await open(box, 'a good passphrase')).toBe('{"secret":"s3cr3t ünïcode"}');
  });

  it('says a wrong passphrase is wrong and returns nothing', async () => {
    const box = await seal('secret', 'right passphrase');
    await expect(open(box, 'wrong passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
  });

  it('draws a fresh salt and IV on every seal', async () => {
    const a = await seal('same', 'same passphrase');
    const b = await seal('same', 'same passphrase');
    expect(Buffer.from(a.salt).equals(Buffer.from(b.salt))).toBe(false);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(false);
  });

  it('refuses fewer than 600,000 iterations when sealing and when opening', async () => {
    expect(MIN_ITERATIONS).toBe(600_000);
    await expect(seal('x', 'passphrase', 599_999)).rejects.toMatchObject({ code: 'WEAK_KEY_DERIVATION' });
    // A box really sealed at 1,000 rounds (made here with WebCrypto directly) is refused unopened.
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const material = await crypto.subtle.importKey('raw', new TextEncoder().encode('passphrase'), 'PBKDF2', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 1000 }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('preflash-profile-secrets-v1') }, key, new TextEncoder().encode('x')));
    const weak = { kdf: 'PBKDF2-SHA-256' as const, cipher: 'AES-GCM-256' as const, iterations: 1000, salt, iv, data };
    await expect(open(weak, 'passphrase')).rejects.toMatchObject({ code: 'WEAK_KEY_DERIVATION' });
    // Lowering the count on a good box is refused too.
    const good = await seal('x', 'passphrase');
    await expect(open({ ...good, iterations: 100_000 }, 'passphrase')).rejects.toMatchObject({ code: 'WEAK_KEY_DERIVATION' });
  });

  it('refuses boxes of another shape', () => {
    expect(() => checkBox(null)).toThrow(/BAD_RECORD/);
    expect(() => checkBox({ kdf: 'PBKDF2-SHA-1', cipher: 'AES-GCM-256', iterations: 600_000, salt: new Uint8Array(16), iv: new Uint8Array(12), data: new Uint8Array(32) })).toThrow(/BAD_RECORD/);
    expect(() => checkBox({ kdf: 'PBKDF2-SHA-256', cipher: 'AES-GCM-256', iterations: 600_000, salt: new Uint8Array(8), iv: new Uint8Array(12), data: new Uint8Array(32) })).toThrow(/BAD_RECORD/);
  });
});
