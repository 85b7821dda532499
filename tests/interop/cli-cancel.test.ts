/**
 * Ctrl+C during a long job: the CLI stops, exits 130, and leaves neither the output nor its
 * temporary file behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeImage, balenaBootFiles } from '../helpers/make-image.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'pigz');
const tmp = tempDir('preflash-cancel-');
afterAll(() => tmp.cleanup());

describe.skipIf(!tools)('cancelling the CLI', () => {
  it('SIGINT while writing: exit 130, no output, no temporary file', async () => {
    const img = tmp.path('big.img');
    makeImage(img, {
      table: 'mbr',
      partitions: [
        { sizeMiB: 40, type: 'c', fs: { fat: 32, label: 'resin-boot', mkfsArgs: ['-s', '1'], files: balenaBootFiles('raspberrypi4-64', 'aarch64') } },
        { sizeMiB: 1024, type: '83' },
      ],
    });
    runOk('pigz', ['-1', img]);
    writeFileSync(tmp.path('s.json'), JSON.stringify({ version: 1, hostname: 'cancel-me' }));
    const out = tmp.path('out.img');
    const child = spawn(process.execPath, ['bin/preflash.js', 'configure', `${img}.gz`, '--settings', tmp.path('s.json'), '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the output is being written (its temporary file exists), then press Ctrl+C.
    const started = Date.now();
    while (!readdirSync(tmp.dir).some((n) => n.includes('.preflash-')) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('cancelled');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).filter((n) => n.includes('.preflash-'))).toEqual([]);
  });
});
