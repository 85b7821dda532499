/** The CLI's output file: appears only on commit, holds writers back, and leaves nothing on discard. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicOutput } from '../../../src/cli/node-io.ts';
import { tempDir } from '../../helpers/tools.ts';

const tmp = tempDir('preflash-output-');
afterAll(() => tmp.cleanup());

describe('AtomicOutput', () => {
  it('signals back-pressure once 8 MiB are queued, and commits the exact bytes', async () => {
    const out = new AtomicOutput(tmp.path('a.img'));
    const writer = out.writable().getWriter();
    await writer.ready;
    const chunk = new Uint8Array(1024 * 1024).fill(7);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) pending.push(writer.write(chunk));
    expect(writer.desiredSize!).toBeLessThan(0); // a writer that awaits `ready` now waits
    await Promise.all(pending);
    await writer.close();
    expect(existsSync(tmp.path('a.img'))).toBe(false); // not before commit
    await out.commit();
    expect(readFileSync(tmp.path('a.img')).length).toBe(12 * 1024 * 1024);
  });

  it('discard leaves no file behind', async () => {
    const out = new AtomicOutput(tmp.path('b.img'));
    const writer = out.writable().getWriter();
    await writer.write(new Uint8Array(10));
    await writer.abort(new Error('failed'));
    await out.discard();
    expect(readdirSync(tmp.dir).filter((n) => n.includes('b.img'))).toEqual([]);
  });
});
