import { describe, expect, it } from 'vitest';
import { chooseEvictions } from '../../../src/app/cache/lru.ts';

const e = (id: string, size: number, lastUsed: number) => ({ id, size, lastUsed });

describe('chooseEvictions (least recently used first)', () => {
  const entries = [e('new', 300, 30), e('old', 200, 10), e('mid', 400, 20)];
  it('deletes nothing without a cap or when everything fits', () => {
    expect(chooseEvictions(entries, undefined, 1e9)).toEqual({ ids: [], fits: true });
    expect(chooseEvictions(entries, 900)).toEqual({ ids: [], fits: true });
  });
  it('deletes the least recently used until the rest plus the incoming bytes fit', () => {
    expect(chooseEvictions(entries, 800)).toEqual({ ids: ['old'], fits: true });
    expect(chooseEvictions(entries, 800, 300)).toEqual({ ids: ['old', 'mid'], fits: true });
  });
  it('never chooses a kept entry, and says when even deleting the rest is not enough', () => {
    expect(chooseEvictions(entries, 500, 0, new Set(['old']))).toEqual({ ids: ['mid'], fits: true });
    expect(chooseEvictions(entries, 100, 0, new Set(['new']))).toEqual({ ids: ['old', 'mid'], fits: false });
  });
});
