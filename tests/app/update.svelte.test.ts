import { describe, expect, it } from 'vitest';
import { AppUpdate } from '../../src/app/pwa/update.svelte.ts';

describe('AppUpdate (the "new version ready" offer)', () => {
  it('offers nothing until an update is found, and Reload then does nothing', () => {
    const update = new AppUpdate();
    expect(update.offer).toEqual({ kind: 'none' });
    expect(update.reload(false)).toBe(false);
  });

  it('applies the update only when the user reloads, and never while a build runs', () => {
    const update = new AppUpdate();
    let applied = 0;
    update.offerUpdate('ready', () => applied++);
    expect(update.offer).toEqual({ kind: 'ready' });
    expect(applied).toBe(0); // offered, not applied
    expect(update.reload(true)).toBe(false); // a build runs: refused
    expect([applied, update.offer.kind]).toEqual([0, 'ready']);
    expect(update.reload(false)).toBe(true);
    expect([applied, update.offer.kind]).toEqual([1, 'reloading']);
    expect(update.reload(false)).toBe(false); // pressed twice: applied once
    expect(applied).toBe(1);
  });

  it('a later offer replaces an earlier one (another tab switched first), but not once reloading', () => {
    const update = new AppUpdate();
    const calls: string[] = [];
    update.offerUpdate('ready', () => calls.push('skip-waiting'));
    update.offerUpdate('active-elsewhere', () => calls.push('reload'));
    expect(update.offer.kind).toBe('active-elsewhere');
    update.reload(false);
    update.offerUpdate('ready', () => calls.push('late'));
    expect(update.offer.kind).toBe('reloading');
    expect(calls).toEqual(['reload']);
  });
});
