import { describe, expect, it } from 'vitest';
import { checkDownloadUrl, checkSha256 } from '../../../src/app/cache/inputs.ts';

describe('download form inputs', () => {
  it('takes https: anywhere and http: only on this computer (what the CSP allows)', () => {
    expect(checkDownloadUrl(' https://files.example/os.img.gz ')).toEqual({ ok: true, url: 'https://files.example/os.img.gz' });
    expect(checkDownloadUrl('http://127.0.0.1:8080/a.img')).toMatchObject({ ok: true });
    expect(checkDownloadUrl('http://localhost/a.img')).toMatchObject({ ok: true });
    expect(checkDownloadUrl('http://files.example/a.img')).toEqual({ ok: false, message: 'Preflash downloads only from https:// addresses (plain http:// only from this computer).' });
    expect(checkDownloadUrl('ftp://files.example/a.img')).toMatchObject({ ok: false });
    expect(checkDownloadUrl('files.example/a.img')).toEqual({ ok: false, message: 'This is not a URL: give the full address, starting with https://.' });
  });
  it('takes an optional SHA-256 as 64 hex digits, in any case, with or without "sha256:"', () => {
    expect(checkSha256('')).toEqual({ ok: true });
    expect(checkSha256(` sha256:${'AB'.repeat(32)} `)).toEqual({ ok: true, sha256: 'ab'.repeat(32) });
    expect(checkSha256('abc')).toEqual({ ok: false, message: 'A SHA-256 is 64 hexadecimal digits (0–9, a–f).' });
    expect(checkSha256('g'.repeat(64))).toMatchObject({ ok: false });
  });
});
