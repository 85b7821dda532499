/**
 * The committed generated files must match what scripts/gen-catalogue.mjs produces now, and the
 * script must refuse a bad device file. The negative cases run the script on a copy of the
 * catalogue in a temp folder so the real checkout is never touched.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../../helpers/tools.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const temps: Array<() => void> = [];
afterAll(() => temps.forEach((cleanup) => cleanup()));

/** A minimal copy of the repository: the script, device-types/, the generated files, node_modules. */
function copyOfCatalogue(): string {
  const t = tempDir('preflash-catalogue-');
  temps.push(t.cleanup);
  for (const part of ['scripts/gen-catalogue.mjs', 'device-types', 'src/core/catalogue']) {
    mkdirSync(join(t.dir, part, '..'), { recursive: true });
    cpSync(join(root, part), join(t.dir, part), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(t.dir, 'node_modules'), 'dir');
  return t.dir;
}

const check = (dir: string) => run('node', [join(dir, 'scripts/gen-catalogue.mjs'), '--check']);

describe('scripts/gen-catalogue.mjs', () => {
  it('finds the committed generated files up to date', () => {
    const r = check(root);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/catalogue OK: \d+ device types/);
  });

  it('reports drift when a device file changes without regenerating, and fixes it when run', () => {
    const dir = copyOfCatalogue();
    const file = join(dir, 'device-types/raspberrypi5.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Raspberry Pi 5 / CM5"', '"Raspberry Pi 5"'));
    const stale = check(dir);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('src/core/catalogue/devices.generated.ts is out of date');
    expect(stale.stderr).not.toContain('device-type.generated.ts');
    const gen = run('node', [join(dir, 'scripts/gen-catalogue.mjs')]);
    expect(gen.status).toBe(0);
    expect(readFileSync(join(dir, 'src/core/catalogue/devices.generated.ts'), 'utf8')).toContain('"name": "Raspberry Pi 5",');
    expect(check(dir).status).toBe(0);
  });

  it('refuses invalid device files and files not named after their slug', () => {
    const dir = copyOfCatalogue();
    const file = join(dir, 'device-types/jetson-nano.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...data, colour: 'green' }));
    writeFileSync(join(dir, 'device-types/wrong-name.json'), JSON.stringify(data));
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('jetson-nano.json: / must NOT have additional properties');
    expect(r.stderr).toContain("wrong-name.json: file name must be the slug ('jetson-nano.json')");
  });
});
