import { describe, expect, it } from 'vitest';
import { ChangeSet } from '../../../src/core/codecs/xz/changes.ts';

describe('ChangeSet', () => {
  const set = new ChangeSet([
    { offset: 10, bytes: Uint8Array.of(1, 2, 3) },
    { offset: 20, bytes: new Uint8Array(10).fill(9) },
  ]);

  it('patches chunks a change overlaps, across chunk edges, without touching the original', () => {
    const original = new Uint8Array(16);
    const patched = set.apply(original, 8);
    expect([...patched]).toEqual([0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9]);
    expect(original.every((b) => b === 0)).toBe(true);
    expect([...set.apply(new Uint8Array(4), 28)]).toEqual([9, 9, 0, 0]);
  });

  it('passes untouched chunks through as they are', () => {
    const chunk = new Uint8Array(5);
    expect(set.apply(chunk, 13)).toBe(chunk);
    expect(set.apply(chunk, 30)).toBe(chunk);
  });

  it('answers which ranges are touched and where changes end', () => {
    expect(set.touches(0, 10)).toBe(false);
    expect(set.touches(0, 11)).toBe(true);
    expect(set.touches(13, 20)).toBe(false);
    expect(set.touches(29, 100)).toBe(true);
    expect(set.end).toBe(30);
  });

  it('refuses unsorted or overlapping changes', () => {
    expect(() => new ChangeSet([{ offset: 5, bytes: new Uint8Array(4) }, { offset: 7, bytes: new Uint8Array(1) }])).toThrow(/overlap/);
  });
});
