/** `preflash devices` (in process) shows the whole catalogue with what a user needs to pick a board. */
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';

async function devices(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(['devices', ...args], { stdout: (s) => void (out += s), stderr: () => {}, env: {} });
  return { code, out };
}

describe('preflash devices', () => {
  it('--json lists at least 146 types with maker, family, arch, radios and install method', async () => {
    const r = await devices(['--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out);
    expect(list.length).toBeGreaterThanOrEqual(146);
    for (const d of list) {
      expect(Object.keys(d).sort(), d.slug).toEqual(['aliases', 'arch', 'bluetooth', 'family', 'flasher', 'fromContracts', 'install', 'manufacturer', 'name', 'slug', 'status', 'wifi']);
      expect(['card', 'installer', 'vendor-tool', 'virtual-machine']).toContain(d.install.method);
      if (d.install.method === 'vendor-tool') expect(d.install.tool, d.slug).toBeTruthy();
    }
    const bySlug = new Map(list.map((d: { slug: string }) => [d.slug, d]));
    expect(bySlug.get('jetson-agx-orin-devkit')).toMatchObject({ manufacturer: 'NVIDIA', family: 'NVIDIA Jetson', wifi: true, bluetooth: true, install: { method: 'vendor-tool' } });
    expect(bySlug.get('coral-dev')).toMatchObject({ manufacturer: 'Google', install: { method: 'installer' }, fromContracts: expect.arrayContaining(['install']) });
    expect(bySlug.get('ts7700')).toMatchObject({ status: 'removed', fromContracts: [] });
  });

  it('prints one row per type', async () => {
    const r = await devices([]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').length).toBeGreaterThanOrEqual(147);
  });
});
