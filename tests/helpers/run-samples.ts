/**
 * Golden-sample runner: every folder tests/samples/<area>/<case>/ holds inputs (settings.json,
 * optionally config.json…) and `_expected/` with the exact files the code must produce.
 * One vitest test per folder.
 *
 *   UPDATE_SNAPSHOTS=1 npx vitest run tests/samples   rewrites every `_expected/` on purpose
 *   FILTER=wifi npx vitest run tests/samples          runs only cases whose name contains "wifi"
 *
 * Review rewritten `_expected/` folders as diffs before committing them.
 *
 * Settings go through the validator first (`sampleSettings`): a golden sample pins what valid
 * settings produce. A case that is invalid on purpose says so in a file `INVALID_ON_PURPOSE`
 * holding the reason; the runner then checks that the validator does reject it, so the marker
 * cannot outlive its reason.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateSettings } from '../../src/core/settings/validate.ts';
import type { Settings } from '../../src/core/settings/types.ts';

export const SAMPLES_ROOT = join(import.meta.dirname, '..', 'samples');
export const EXPECTED_DIR = '_expected';
export const INVALID_MARKER = 'INVALID_ON_PURPOSE';

export interface SampleFile {
  path: string;
  content: Uint8Array;
}

export interface SampleCase {
  name: string;
  dir: string;
  /** Text of an input file in the case folder, or undefined when absent. */
  readText(name: string): string | undefined;
  readJson<T>(name: string): T;
}

/** Case folders of an area (folders that are not `_expected`), sorted. */
export function listSampleCases(area: string): SampleCase[] {
  const areaDir = join(SAMPLES_ROOT, area);
  return readdirSync(areaDir)
    .filter((name) => statSync(join(areaDir, name)).isDirectory())
    .sort()
    .map((name) => makeCase(name, join(areaDir, name)));
}

function makeCase(name: string, dir: string): SampleCase {
  const readText = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined);
  return {
    name,
    dir,
    readText,
    readJson<T>(file: string): T {
      const text = readText(file);
      if (text === undefined) throw new Error(`${name}: missing ${file}`);
      return JSON.parse(text) as T;
    },
  };
}

/** Relative '/' paths of every file under `dir`. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function runSamples(area: string, produce: (sample: SampleCase) => SampleFile[]): void {
  const filter = process.env.FILTER;
  const update = process.env.UPDATE_SNAPSHOTS === '1' || process.env.UPDATE_SNAPSHOTS === 'true';
  const cases = listSampleCases(area).filter((c) => !filter || c.name.includes(filter));
  describe(`samples/${area}`, () => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, sample) => {
      const actual = produce(sample);
      const expectedDir = join(sample.dir, EXPECTED_DIR);
      if (update) {
        rmSync(expectedDir, { recursive: true, force: true });
        for (const file of actual) {
          const target = join(expectedDir, ...file.path.split('/'));
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, file.content);
        }
      }
      expect(existsSync(expectedDir), `${sample.name}: no ${EXPECTED_DIR}/ — run with UPDATE_SNAPSHOTS=1`).toBe(true);
      expect(actual.map((f) => f.path).sort()).toEqual(listFiles(expectedDir));
      for (const file of actual) {
        const expected = readFileSync(join(expectedDir, ...file.path.split('/')));
        // Text comparison first for a readable diff, then bytes for exactness.
        expect(new TextDecoder().decode(file.content), file.path).toBe(expected.toString('utf8'));
        expect(Buffer.from(file.content).equals(expected), file.path).toBe(true);
      }
    });
  });
}

/**
 * The generator context of a boot-file case: the image's `config.json` when the folder has one,
 * and `context.json` ({ "deviceType": … }) for the rest.
 */
export function sampleContext(sample: SampleCase): { existingConfigJson?: string; deviceType?: string } {
  const context = sample.readText('context.json');
  return {
    ...(context === undefined ? {} : (JSON.parse(context) as { deviceType?: string })),
    existingConfigJson: sample.readText('config.json'),
  };
}

/**
 * The case's settings.json, checked by the validator: valid unless the case carries an
 * INVALID_ON_PURPOSE marker (with its reason), in which case it must be invalid.
 */
export function sampleSettings(sample: SampleCase): Settings {
  const value = sample.readJson<unknown>('settings.json');
  const result = validateSettings(value);
  const reason = sample.readText(INVALID_MARKER)?.trim();
  if (reason === undefined && !result.ok) {
    throw new Error(`${sample.name}: settings.json is invalid (${result.issues.map((i) => i.message).join('; ')}); fix it, or add ${INVALID_MARKER} saying why`);
  }
  if (reason !== undefined && result.ok) throw new Error(`${sample.name}: marked ${INVALID_MARKER} but the validator accepts its settings`);
  if (reason === '') throw new Error(`${sample.name}: ${INVALID_MARKER} must say why`);
  return value as Settings;
}
