/**
 * errors.ts against the code (issue 7 §3): every declared code is thrown somewhere in src/core, and
 * the codes say what happened — a failing output is OUTPUT_FAILED, a host's misuse is INTERNAL,
 * and only a fired AbortSignal is ABORTED.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/core/errors.ts';
import { guardOutput } from '../../../src/core/pipeline/guard-output.ts';
import { readOnlyStore } from '../../../src/core/pipeline/open-boot-fs.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { expectCode } from '../../helpers/core-errors.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const declared = [...readFileSync('src/core/errors.ts', 'utf8').matchAll(/^\s*\| '([A-Z_]+)'/gm)].map((m) => m[1]);
const thrown = new Set(
  files('src/core')
    .filter((f) => !f.endsWith('errors.ts'))
    .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/new CoreError\(\s*'([A-Z_]+)'/g)].map((m) => m[1])),
);

describe('error codes', () => {
  it('the list is read', () => expect(declared.length).toBeGreaterThan(20));

  it('every declared code is thrown somewhere in src/core', () => {
    expect(declared.filter((c) => !thrown.has(c))).toEqual([]);
  });

  it('ABORTED is thrown only for a fired signal, never for a consumed input', () => {
    const misuse: string[] = [];
    for (const f of files('src/core')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/new CoreError\(\s*'ABORTED',\s*'([^']*)'/g)) {
        if (/consumed/i.test(m[1])) misuse.push(`${f}: ${m[1]}`);
      }
    }
    expect(misuse).toEqual([]);
  });

  it('a write that reaches a read-only view is a bug (INTERNAL)', async () => {
    await expectCode(readOnlyStore(new MemoryDisk(new Uint8Array(512))).write(0, new Uint8Array(1)), 'INTERNAL');
  });
});

describe('guardOutput: the host sink failing is OUTPUT_FAILED', () => {
  const failing = (error: unknown, at: 'write' | 'close') =>
    new WritableStream<Uint8Array>({
      write() {
        if (at === 'write') throw error;
      },
      close() {
        if (at === 'close') throw error;
      },
    });

  it('a write that fails (disk full)', async () => {
    const writer = guardOutput(failing(new Error('ENOSPC: no space left on device'), 'write')).getWriter();
    const e = await expectCode(writer.write(new Uint8Array(4)), 'OUTPUT_FAILED');
    expect(e.message).toBe('The output could not be written: ENOSPC: no space left on device');
  });

  it('a close that fails', async () => {
    const writer = guardOutput(failing('closed by the user', 'close')).getWriter();
    await writer.write(new Uint8Array(4));
    await expectCode(writer.close(), 'OUTPUT_FAILED');
  });

  it('a CoreError from the sink keeps its code (the user cancelled)', async () => {
    const writer = guardOutput(failing(new CoreError('ABORTED', 'The operation was cancelled.'), 'write')).getWriter();
    await expectCode(writer.write(new Uint8Array(1)), 'ABORTED');
  });

  it('passes bytes through in order and closes the host sink', async () => {
    const got: number[] = [];
    let closed = false;
    const writer = guardOutput(new WritableStream({ write: (c: Uint8Array) => void got.push(...c), close: () => void (closed = true) })).getWriter();
    await writer.write(new Uint8Array([1, 2]));
    await writer.write(new Uint8Array([3]));
    await writer.close();
    expect(got).toEqual([1, 2, 3]);
    expect(closed).toBe(true);
  });

  it('an abort reaches the host sink', async () => {
    let reason: unknown;
    const writer = guardOutput(new WritableStream({ abort: (r) => void (reason = r) })).getWriter();
    await writer.abort('stop');
    expect(reason).toBe('stop');
  });
});

describe('guardOutput leaves the host stream to the host until it is used', () => {
  it('unused: the host can still abort its stream itself', async () => {
    let aborted = false;
    const host = new WritableStream({ abort: () => void (aborted = true) });
    guardOutput(host);
    await host.abort('failed before writing');
    expect(aborted).toBe(true);
  });
});
