import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { RecipeBuilder, recipeInputBytes, writeRecipe } from '../../../src/core/io/recipe.ts';
import { rawRecipe } from '../../../src/core/pipeline/configure-file.ts';
import { memorySink } from '../../helpers/codec-fixtures.ts';

const input = new MemoryDisk(Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff));

describe('output recipes', () => {
  it('merges adjacent input ranges and coalesces small new bytes', () => {
    const b = new RecipeBuilder();
    b.copy(0, 10);
    b.copy(10, 5);
    b.bytes(Uint8Array.of(1));
    b.bytes(Uint8Array.of(2, 3));
    b.copy(100, 4);
    const r = b.finish();
    expect(r.segments).toEqual([
      { kind: 'input', offset: 0, length: 15 },
      { kind: 'bytes', bytes: Uint8Array.of(1, 2, 3) },
      { kind: 'input', offset: 100, length: 4 },
    ]);
    expect(r.size).toBe(22);
    expect(recipeInputBytes(r)).toBe(19);
  });

  it('realises into a stream byte for byte, in small input chunks', async () => {
    const recipe = rawRecipe(1000, { changes: [{ offset: 3, bytes: Uint8Array.of(0xaa, 0xbb) }, { offset: 999, bytes: Uint8Array.of(7) }] });
    const sink = memorySink();
    await writeRecipe(recipe, input, sink.stream, { chunkSize: 7 });
    const expected = input.bytes.slice();
    expected.set([0xaa, 0xbb], 3);
    expected[999] = 7;
    expect(new Uint8Array(sink.bytes())).toEqual(expected);
    expect(sink.state.closed).toBe(true);
  });

  it('aborts the output when the input cannot be read', async () => {
    const recipe = { segments: [{ kind: 'input' as const, offset: 990, length: 20 }], size: 20 };
    const sink = memorySink();
    await expect(writeRecipe(recipe, input, sink.stream)).rejects.toThrow();
    expect(sink.state.aborted).toBe(true);
  });
});
