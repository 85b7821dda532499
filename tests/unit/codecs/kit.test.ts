import { describe, expect, it } from 'vitest';
import { DecodedHead } from '../../../src/core/codecs/kit/decoded-head.ts';
import { Progress } from '../../../src/core/codecs/kit/progress.ts';
import { READ_CHUNK, SourceReader } from '../../../src/core/codecs/kit/reader.ts';
import { runWrite } from '../../../src/core/codecs/kit/output.ts';
import { CoreError } from '../../../src/core/errors.ts';
import type { ProgressEvent } from '../../../src/core/codecs/codec.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { expectCode } from '../../helpers/core-errors.ts';
import { memorySink } from '../../helpers/codec-fixtures.ts';

function countingSource(n: number) {
  const disk = new MemoryDisk(Uint8Array.from({ length: n }, (_, i) => i & 0xff));
  const reads: number[] = [];
  return { reads, source: { size: n, read: (o: number, l: number) => (reads.push(l), disk.read(o, l)) } };
}

describe('kit: SourceReader', () => {
  it('reads the input in pieces of at least 1 MiB and reports progress with the input size as total', async () => {
    const { reads, source } = countingSource(3 * READ_CHUNK + 10);
    const events: ProgressEvent[] = [];
    const r = new SourceReader(source, { progress: new Progress(source.size, (e) => events.push(e)) });
    let total = 0;
    for (let c = await r.next(1000); c; c = await r.next(1000)) total += c.length;
    expect(total).toBe(source.size);
    expect(reads).toEqual([READ_CHUNK, READ_CHUNK, READ_CHUNK, 10]);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.totalBytes === source.size)).toBe(true);
  });
  it('unread, seek and a window [start, end); readExact past the end is ARCHIVE_CORRUPT (truncated)', async () => {
    const { source } = countingSource(5000);
    const r = new SourceReader(source, { start: 100, end: 200 });
    const a = await r.next(10);
    r.unread(a!.subarray(5));
    expect(r.position).toBe(105);
    r.seek(190);
    expect((await r.readExact(10, 'x'))[0]).toBe(190);
    expect(await r.next()).toBeNull();
    r.seek(195);
    const e = await expectCode(r.readExact(10, 'a test record'), 'ARCHIVE_CORRUPT');
    expect(e.detail.reason).toBe('truncated');
    expect(e.message).toContain('a test record');
  });
  it('stops with ABORTED when the signal fires', async () => {
    const { source } = countingSource(5000);
    const c = new AbortController();
    c.abort();
    await expectCode(new SourceReader(source, { signal: c.signal }).next(), 'ABORTED');
  });
});

describe('kit: DecodedHead', () => {
  it('decodes lazily, knows its size at the end, and a failed decoder stays failed', async () => {
    let pulls = 0;
    const head = new DecodedHead(async () => (++pulls <= 3 ? new Uint8Array(10).fill(pulls) : null));
    expect((await head.read(12, 2))[0]).toBe(2);
    expect(pulls).toBe(2);
    expect(head.size).toBe(Number.POSITIVE_INFINITY);
    await expectCode(head.read(25, 10), 'IO_TRUNCATED');
    expect(head.size).toBe(30);
    let calls = 0;
    const failing = new DecodedHead(async () => {
      calls++;
      throw new CoreError('ARCHIVE_CORRUPT', 'bad');
    });
    await expectCode(failing.read(0, 1), 'ARCHIVE_CORRUPT');
    await expectCode(failing.read(0, 1), 'ARCHIVE_CORRUPT');
    expect(calls).toBe(1);
  });
});

describe('kit: runWrite', () => {
  it('a bug in the body is INTERNAL and the output is aborted, never committed', async () => {
    const sink = memorySink();
    await expectCode(
      runWrite(sink.stream, new Progress(1), undefined, async (w) => {
        await w.write(new Uint8Array(10));
        throw new TypeError('oops');
      }),
      'INTERNAL',
    );
    expect(sink.state.aborted && !sink.state.closed).toBe(true);
  });
  it('a sink whose close fails is OUTPUT_FAILED', async () => {
    const out = new WritableStream<Uint8Array>({
      close: () => {
        throw new Error('EIO');
      },
    });
    const e = await expectCode(
      runWrite(out, new Progress(1), undefined, async (w) => {
        await w.write(new Uint8Array(10));
        return {};
      }),
      'OUTPUT_FAILED',
    );
    expect(e.message).toContain('EIO');
  });
});
